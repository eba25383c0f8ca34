/** The CLI as a user runs it: a separate process, exit codes, one-line errors, JSON output. */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CPU_PKG, probeNativeBinding } from '../../src-main/engine/backend/native';
import { tempDir } from '../helpers/projects';

/** What `--backend auto` picks here: tensorflow where tfjs-node's addon was built (CI with a package mirror), else wasm. */
const autoBackend = probeNativeBinding(CPU_PKG).ok ? 'tensorflow' : 'wasm';

const root = path.resolve(import.meta.dirname, '../..');
const cliArgs = ['--import', 'tsx', path.join(root, 'src-main/cli/index.ts')];
const ganvas = (...args: string[]) => spawnSync(process.execPath, [...cliArgs, ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });

let dir: string;

beforeAll(() => {
  dir = path.join(tempDir(), 'cli-project');
  const r = ganvas('new', dir, '--dataset', 'mnist', '--ngf', '8', '--ndf', '8', '--z', '16', '--batch', '16', '--seed', '3');
  expect(r.status, r.stderr).toBe(0);
});

describe('ganvas CLI', () => {
  it('should answer bad arguments with one line and a non-zero exit, never a stack trace', () => {
    for (const args of [['train'], ['train', dir, '--steps', 'ten'], ['bogus'], ['new', '/tmp/x', '--dataset', 'mnist', '--size', '30']]) {
      const r = ganvas(...args);
      expect(r.status).not.toBe(0);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stderr.trim().split('\n')[0]).toMatch(/^ganvas/);
    }
    const missing = ganvas('new', path.join(tempDir(), 'p'), '--dataset', '/no/such/folder');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/Image folder not found: \/no\/such\/folder/);
  });

  it('should print one JSON object per logged step and resume where it stopped', () => {
    const first = ganvas('train', dir, '--steps', '10', '--json');
    expect(first.status, first.stderr).toBe(0);
    const rows = first.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((r) => r.step)).toEqual([5, 10]);
    expect(Object.keys(rows[0]).sort()).toEqual(['backend', 'dFake', 'dLoss', 'dReal', 'epoch', 'gLoss', 'imagesPerSec', 'step']);
    expect(rows[0].backend).toBe(autoBackend);
    const again = ganvas('train', dir, '--steps', '5', '--json');
    expect(again.stderr).toMatch(/Resuming from step 10/);
    expect(JSON.parse(again.stdout.trim()).step).toBe(15);
  });

  it('should save a checkpoint and exit 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [...cliArgs, 'train', dir, '--steps', '100000', '--json'], { cwd: root });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.split('\n').length > 2) child.kill('SIGTERM'); // two logged rows: mid-run
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    const last = JSON.parse(out.trim().split('\n').at(-1)!).step;
    const ckpts = fs.readdirSync(path.join(dir, 'checkpoints')).sort();
    expect(Number(/(\d+)/.exec(ckpts.at(-1)!)![1])).toBeGreaterThanOrEqual(last);
  });

  it('should sample deterministically for a seed and write the z used', () => {
    const out = tempDir();
    const a = ganvas('sample', dir, '--count', '9', '--seed', '7', '--out', path.join(out, 'a.png'), '--z-out', path.join(out, 'z.json'));
    expect(a.status, a.stderr).toBe(0);
    ganvas('sample', dir, '--count', '9', '--seed', '7', '--out', path.join(out, 'b.png'));
    ganvas('sample', dir, '--count', '9', '--seed', '8', '--out', path.join(out, 'c.png'));
    const png = (f: string) => fs.readFileSync(path.join(out, f));
    expect(png('a.png').equals(png('b.png'))).toBe(true);
    expect(png('a.png').equals(png('c.png'))).toBe(false);
    const z = JSON.parse(fs.readFileSync(path.join(out, 'z.json'), 'utf8'));
    expect(z.z).toHaveLength(9);
    expect(z.z[0]).toHaveLength(16);
  });

  it('should report the backend, presets with parameter counts and the project in info --json', () => {
    const r = ganvas('info', dir, '--json');
    expect(r.status, r.stderr).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info.backend.active).toBe(autoBackend);
    const tensorflow = info.backend.attempts.find((a: { name: string }) => a.name === 'tensorflow');
    if (autoBackend === 'wasm') expect(tensorflow.reason).toMatch(/not installed|native addon is missing/);
    else expect(tensorflow).toEqual({ name: 'tensorflow', ok: true });
    expect(info.presets.find((p: { id: string }) => p.id === 'paper64').generatorParams).toBe(3_576_704);
    expect(info.project.datasetStats.count).toBe(70_000);
  });
});
