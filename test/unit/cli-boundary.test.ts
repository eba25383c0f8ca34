/**
 * The CLI is a thin door, like the Electron shell: it may import the shared contract and types,
 * its own folder, and from the engine only the API entry (engine/api/engine-api.ts). Reaching
 * into engine internals would make it a second, wider door. The same holds for `ganvas serve`
 * (src-main/server) and the desktop's remote client (src-main/remote).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const src = path.resolve(import.meta.dirname, '../../src-main');
const cliRoot = path.join(src, 'cli');
const serverRoot = path.join(src, 'server');
const remoteRoot = path.join(src, 'remote');
const engineEntry = path.join(src, 'engine/api/engine-api');
const sharedRoot = path.join(src, 'shared');

/**
 * The doors and what each may reach besides the shared contract and the engine's API entry: the
 * CLI starts a server (`ganvas serve`), the server speaks the remote protocol.
 */
const doors: Record<string, string[]> = {
  [cliRoot]: [cliRoot, serverRoot],
  [serverRoot]: [serverRoot, remoteRoot],
  [remoteRoot]: [remoteRoot],
};

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from\s+|import\()\s*'([^']+)'/g)].map((m) => m[1]);
}

describe('CLI, server and remote-client imports', () => {
  it('should reach the engine only through its API entry', () => {
    const offenders: string[] = [];
    for (const [door, own] of Object.entries(doors)) {
      for (const file of filesUnder(door).filter((f) => f.endsWith('.ts'))) {
        for (const spec of importsOf(file)) {
          if (!spec.startsWith('.')) continue; // node: built-ins and packages (sharp, ws)
          const target = path.resolve(path.dirname(file), spec);
          const allowed = own.some((folder) => target.startsWith(folder)) || target.startsWith(sharedRoot) || target === engineEntry;
          if (!allowed) offenders.push(`${path.relative(src, file)} -> ${spec}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('should find the imports it checks', () => {
    // The scan must see real imports, or the test above would pass on nothing.
    expect(importsOf(path.join(cliRoot, 'session.ts'))).toContain('../engine/api/engine-api');
    expect(importsOf(path.join(serverRoot, 'serve.ts'))).toContain('../engine/api/engine-api');
  });
});
