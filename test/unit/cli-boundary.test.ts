/**
 * The CLI is a thin door, like the Electron shell: it may import the shared contract and types,
 * its own folder, and from the engine only the API entry (engine/api/engine-api.ts). Reaching
 * into engine internals would make it a second, wider door.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const cliRoot = path.resolve(import.meta.dirname, '../../src-main/cli');
const engineEntry = path.resolve(import.meta.dirname, '../../src-main/engine/api/engine-api');
const sharedRoot = path.resolve(import.meta.dirname, '../../src-main/shared');

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from\s+|import\()\s*'([^']+)'/g)].map((m) => m[1]);
}

describe('CLI imports', () => {
  it('should reach the engine only through its API entry', () => {
    const offenders: string[] = [];
    for (const file of filesUnder(cliRoot).filter((f) => f.endsWith('.ts'))) {
      for (const spec of importsOf(file)) {
        if (!spec.startsWith('.')) continue; // node: built-ins and packages (sharp)
        const target = path.resolve(path.dirname(file), spec);
        const allowed = target.startsWith(cliRoot) || target.startsWith(sharedRoot) || target === engineEntry;
        if (!allowed) offenders.push(`${path.relative(cliRoot, file)} -> ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('should find the imports it checks', () => {
    // The scan must see real imports, or the test above would pass on nothing.
    expect(importsOf(path.join(cliRoot, 'session.ts'))).toContain('../engine/api/engine-api');
  });
});
