/**
 * The committed WebAssembly kernels (ganvas_kernels.wasm.ts, base64) must be the build of the
 * committed C source: the recorded source hash is checked always, and where Debian's clang-14 and
 * lld-14 are installed (.ci/run installs them) build.sh rebuilds the module and it must match byte
 * for byte. Also: the module only imports the backend's memory and exports what simd.ts calls.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPILER, SOURCE_SHA256, WASM_BASE64, WASM_SHA256 } from '../../src-main/engine/backend/kernels/native/ganvas_kernels.wasm';

const DIR = path.resolve(__dirname, '../../src-main/engine/backend/kernels/native');
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const wasm = Buffer.from(WASM_BASE64, 'base64');

/** The WebAssembly API (this project's node typings do not declare it). */
interface ModuleApi {
  new (bytes: Uint8Array): object;
  imports(m: object): { module: string; name: string; kind: string }[];
  exports(m: object): { name: string; kind: string }[];
}
const WasmModule = (globalThis as unknown as { WebAssembly: { Module: ModuleApi } }).WebAssembly.Module;

/** Why the byte-for-byte rebuild cannot run here, or null when it can. */
function rebuildUnavailable(): string | null {
  const clang = spawnSync('clang-14', ['--version'], { encoding: 'utf8' });
  if (clang.error || clang.status !== 0) return 'clang-14 is not installed (apt-get install clang-14 lld-14)';
  if (spawnSync('wasm-ld-14', ['--version']).error) return 'wasm-ld-14 is not installed (apt-get install lld-14)';
  const version = clang.stdout.split('\n')[0];
  if (version !== COMPILER) return `the module was built with "${COMPILER}", this machine has "${version}"`;
  return null;
}

describe('the committed wasm kernels', () => {
  it('were built from the committed C source (recorded hash)', () => {
    expect(sha256(readFileSync(path.join(DIR, 'ganvas_kernels.c'))), 'ganvas_kernels.c changed: run build.sh').toBe(SOURCE_SHA256);
    expect(sha256(wasm)).toBe(WASM_SHA256);
  });

  it('import only the memory and export the kernels simd.ts uses', () => {
    const mod = new WasmModule(wasm);
    expect(WasmModule.imports(mod)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
    const exported = WasmModule.exports(mod).map((e) => e.name);
    const declared = readFileSync(path.join(DIR, '..', 'simd.ts'), 'utf8')
      .match(/^ {2}([a-z_0-9]+)\(/gm)!
      .map((m) => m.trim().slice(0, -1));
    expect(declared.length).toBeGreaterThan(5);
    for (const name of declared) expect(exported).toContain(name);
  });

  const why = rebuildUnavailable();
  it.skipIf(why !== null)(`rebuild byte for byte with build.sh${why ? ` (skipped: ${why})` : ''}`, () => {
    const out = mkdtempSync(path.join(tmpdir(), 'ganvas-kernels-'));
    try {
      execFileSync('bash', [path.join(DIR, 'build.sh'), out], { stdio: 'pipe' });
      expect(readFileSync(path.join(out, 'ganvas_kernels.wasm.ts'), 'utf8')).toBe(
        readFileSync(path.join(DIR, 'ganvas_kernels.wasm.ts'), 'utf8'),
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
