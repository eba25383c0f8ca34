/** concepts.json: create, rename, edit, delete, survive a reload; refuse damaged or newer files. */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createConcept, deleteConcept, nextSymbol, readConcepts, updateConcept } from '../../src-main/engine/arith/concepts';
import { CONCEPTS_FILE } from '../../src-main/engine/project/layout';
import { Project } from '../../src-main/engine/project/project';
import { tinyMnist } from '../helpers/projects';

let project: Project;
let dir: string;
const z = (v: number) => Array.from({ length: 16 }, (_, i) => v + i / 100);

beforeAll(async () => {
  project = await tinyMnist();
  dir = project.dir;
});

describe('concept storage', () => {
  it('should create, rename, edit and delete concepts, keeping every change on disk', () => {
    expect(readConcepts(project)).toEqual([]);
    const a = createConcept(project, {
      name: '  smiling woman ',
      members: [
        { z: z(1), seed: 1 },
        { z: z(2), sampleId: 's-2' },
      ],
    });
    const b = createConcept(project, { name: 'neutral woman' });
    const c = createConcept(project, { name: 'neutral man', members: [{ z: z(3) }] });
    expect([a.symbol, b.symbol, c.symbol]).toEqual(['A', 'B', 'C']);
    expect(a.name).toBe('smiling woman');
    expect(a.members[0]).toEqual({ z: z(1), seed: 1, label: null });

    const renamed = updateConcept(project, b.id, { name: 'neutral woman (front)' });
    expect(renamed.members).toEqual([]);
    updateConcept(project, b.id, { members: [{ z: z(4) }, { z: z(5) }, { z: z(6) }] });
    const left = deleteConcept(project, a.id);
    expect(left.map((x) => x.symbol)).toEqual(['B', 'C']);
    // The freed symbol is reused; the others keep theirs, so saved expressions stay meaningful.
    expect(createConcept(project, { name: 'smiling man' }).symbol).toBe('A');

    // What a fresh process reads back (the file is the only state).
    const reloaded = JSON.parse(fs.readFileSync(path.join(dir, CONCEPTS_FILE), 'utf8'));
    expect(reloaded.version).toBe(1);
    const again = readConcepts(project);
    expect(again.map((x) => [x.symbol, x.name, x.members.length])).toEqual([
      ['B', 'neutral woman (front)', 3],
      ['C', 'neutral man', 1],
      ['A', 'smiling man', 0],
    ]);
    expect(again[0].members[2].z).toEqual(z(6));
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('.tmp-'))).toEqual([]);
  });

  it('should refuse members that do not fit the model', async () => {
    const conditional = await tinyMnist({ conditional: true });
    expect(() => createConcept(project, { name: 'x', members: [{ z: [1, 2, 3] }] })).toThrow(
      expect.objectContaining({ code: 'invalid', message: expect.stringMatching(/z of 3 numbers; this project's z has 16/) }),
    );
    expect(() => createConcept(conditional, { name: 'x', members: [{ z: z(0) }] })).toThrow(/needs one/);
    expect(() => createConcept(conditional, { name: 'x', members: [{ z: z(0), label: 12 }] })).toThrow(/class 12/);
    expect(() => updateConcept(project, 'nope', { name: 'y' })).toThrow(expect.objectContaining({ code: 'not-found', message: expect.stringMatching(/no longer exists/) }));
    expect(() => deleteConcept(project, 'nope')).toThrow(expect.objectContaining({ code: 'not-found', message: expect.stringMatching(/no longer exists/) }));
  });

  it('should refuse a damaged file or one from a newer Ganvas with a readable message', async () => {
    const other = await tinyMnist();
    const file = path.join(other.dir, CONCEPTS_FILE);
    fs.writeFileSync(file, '{"version": 1, "concepts": [');
    expect(() => readConcepts(other)).toThrow(expect.objectContaining({ code: 'damaged', message: expect.stringMatching(/not valid JSON/) }));
    fs.writeFileSync(file, JSON.stringify({ version: 2, concepts: [] }));
    expect(() => readConcepts(other)).toThrow(/newer Ganvas \(version 2\)/);
    fs.writeFileSync(file, JSON.stringify({ version: 1, concepts: [{ id: 'x', name: 'a', symbol: 'A', members: 'none' }] }));
    expect(() => readConcepts(other)).toThrow(expect.objectContaining({ code: 'damaged', message: expect.stringMatching(/damaged \(concepts\.0\.members/) }));
  });

  it('should hand out symbols A..Z, then A2..', () => {
    const letters = Array.from({ length: 26 }, (_, i) => String.fromCharCode(65 + i));
    expect(nextSymbol([])).toBe('A');
    expect(nextSymbol(['A', 'C'])).toBe('B');
    expect(nextSymbol(letters)).toBe('A2');
    expect(nextSymbol([...letters, 'A2'])).toBe('B2');
  });
});
