/** Runs the CLI from source, as a user's shell would run `ganvas`, and returns what it printed and its status. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

export function runGanvas(args: string[], timeoutMs = 120_000) {
  return spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'src-main/cli/index.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: timeoutMs,
  });
}
