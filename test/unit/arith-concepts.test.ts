/** concepts.json: create, rename, edit, delete, survive a reload; refuse damaged or newer files. */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONCEPTS_FILE, createConcept, deleteConcept, nextSymbol, readConcepts, updateConcept } from '../../src-main/engine/arith/concepts';
import { loadProjectConfig } from '../../src-main/engine/project/project';
import type { ModelConfig } from '../../src-main/shared/types';
import { tinyMnistProject } from '../helpers/projects';

let dir: string;
let model: ModelConfig;
const z = (v: number) => Array.from({ length: 16 }, (_, i) => v + i / 100);

beforeAll(async () => {
  dir = await tinyMnistProject();
  model = loadProjectConfig(dir).model;
});

describe('concept storage', () => {
  it('should create, rename, edit and delete concepts, keeping every change on disk', () => {
    expect(readConcepts(dir)).toEqual([]);
    const a = createConcept(dir, model, {
      name: '  smiling woman ',
      members: [
        { z: z(1), seed: 1 },
        { z: z(2), sampleId: 's-2' },
      ],
    });
    const b = createConcept(dir, model, { name: 'neutral woman' });
    const c = createConcept(dir, model, { name: 'neutral man', members: [{ z: z(3) }] });
    expect([a.symbol, b.symbol, c.symbol]).toEqual(['A', 'B', 'C']);
    expect(a.name).toBe('smiling woman');
    expect(a.members[0]).toEqual({ z: z(1), seed: 1, label: null });

    const renamed = updateConcept(dir, model, b.id, { name: 'neutral woman (front)' });
    expect(renamed.members).toEqual([]);
    updateConcept(dir, model, b.id, { members: [{ z: z(4) }, { z: z(5) }, { z: z(6) }] });
    const left = deleteConcept(dir, a.id);
    expect(left.map((x) => x.symbol)).toEqual(['B', 'C']);
    // The freed symbol is reused; the others keep theirs, so saved expressions stay meaningful.
    expect(createConcept(dir, model, { name: 'smiling man' }).symbol).toBe('A');

    // What a fresh process reads back (the file is the only state).
    const reloaded = JSON.parse(fs.readFileSync(path.join(dir, CONCEPTS_FILE), 'utf8'));
    expect(reloaded.version).toBe(1);
    const again = readConcepts(dir);
    expect(again.map((x) => [x.symbol, x.name, x.members.length])).toEqual([
      ['B', 'neutral woman (front)', 3],
      ['C', 'neutral man', 1],
      ['A', 'smiling man', 0],
    ]);
    expect(again[0].members[2].z).toEqual(z(6));
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('.tmp-'))).toEqual([]);
  });

  it('should refuse members that do not fit the model', () => {
    expect(() => createConcept(dir, model, { name: 'x', members: [{ z: [1, 2, 3] }] })).toThrow(/z of 3 numbers; this project's z has 16/);
    const conditional = { ...model, numClasses: 10 };
    expect(() => createConcept(dir, conditional, { name: 'x', members: [{ z: z(0) }] })).toThrow(/needs one/);
    expect(() => createConcept(dir, conditional, { name: 'x', members: [{ z: z(0), label: 12 }] })).toThrow(/class 12/);
    expect(() => updateConcept(dir, model, 'nope', { name: 'y' })).toThrow(/no longer exists/);
    expect(() => deleteConcept(dir, 'nope')).toThrow(/no longer exists/);
  });

  it('should refuse a damaged file or one from a newer Ganvas with a readable message', async () => {
    const other = await tinyMnistProject();
    const file = path.join(other, CONCEPTS_FILE);
    fs.writeFileSync(file, '{"version": 1, "concepts": [');
    expect(() => readConcepts(other)).toThrow(/not valid JSON/);
    fs.writeFileSync(file, JSON.stringify({ version: 2, concepts: [] }));
    expect(() => readConcepts(other)).toThrow(/newer Ganvas \(version 2\)/);
    fs.writeFileSync(file, JSON.stringify({ version: 1, concepts: [{ id: 'x', name: 'a', symbol: 'A', members: 'none' }] }));
    expect(() => readConcepts(other)).toThrow(/damaged \(concepts\.0\.members/);
  });

  it('should hand out symbols A..Z, then A2..', () => {
    const letters = Array.from({ length: 26 }, (_, i) => String.fromCharCode(65 + i));
    expect(nextSymbol([])).toBe('A');
    expect(nextSymbol(['A', 'C'])).toBe('B');
    expect(nextSymbol(letters)).toBe('A2');
    expect(nextSymbol([...letters, 'A2'])).toBe('B2');
  });
});
