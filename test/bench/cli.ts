/**
 * CLI start-up: how long `ganvas --help` takes from a cold `node` process, for the built CLI
 * (out/main/cli.js, what `bin: ganvas` runs) and from source through tsx (`npm run ganvas`).
 * Help must never load the engine or tfjs; the target is < 0.5 s for the built CLI.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timeRuns(args: string[], runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`ganvas --help failed: ${r.stderr}`);
    if (i > 0) times.push(performance.now() - t); // the first run warms the file cache
  }
  return median(times);
}

export async function benchCli(opts: { runs?: number } = {}) {
  const built = path.join(root, 'out/main/cli.js');
  if (!fs.existsSync(built)) execFileSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'ignore' });
  const runs = opts.runs ?? 5;
  return {
    helpColdStartMs: { built: Math.round(timeRuns([built, '--help'], runs)), source: Math.round(timeRuns(['--import', 'tsx', 'src-main/cli/index.ts', '--help'], runs)) },
    targetBuiltMs: 500,
    runs,
  };
}
