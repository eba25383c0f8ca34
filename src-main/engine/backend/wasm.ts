/**
 * Bringing up the wasm backend offline from node_modules.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { tf } from './tf';
import { registerWasmKernels } from './kernels/index';

const WASM_PKG = '@tensorflow/tfjs-backend-wasm';
const SIMD_BINARY = 'tfjs-backend-wasm-simd.wasm';

/**
 * Folder holding the .wasm binaries, or null if they cannot be found.
 * Resolved from the package entry (dist/tf-backend-wasm.node.js sits next to the binaries).
 */
export function wasmBinaryDir(): string | null {
  try {
    const entry = createRequire(import.meta.url).resolve(WASM_PKG);
    const dir = dirname(entry);
    return existsSync(join(dir, SIMD_BINARY)) ? dir : null;
  } catch {
    return null;
  }
}

/**
 * Makes wasm the active backend with Ganvas' custom kernels.
 * @returns null on success, else why it failed.
 */
export async function activateWasm(): Promise<string | null> {
  let mod: typeof import('@tensorflow/tfjs-backend-wasm');
  try {
    // Imported lazily: importing registers wasm as the top-priority backend,
    // which would make every tf op before `setBackend` throw (see ./tf.ts).
    mod = await import('@tensorflow/tfjs-backend-wasm');
  } catch (e) {
    return `${WASM_PKG} failed to load: ${(e as Error).message}`;
  }
  const dir = wasmBinaryDir();
  if (dir === null) return `the .wasm binaries of ${WASM_PKG} were not found`;
  // Point Emscripten at the package's dist folder explicitly: its default is
  // "next to the running script", which breaks if a bundler inlines the package.
  // Ignored once wasm is initialised; throws only after a failed init, when
  // setBackend below will report the failure anyway.
  const setWasmPaths = mod.setWasmPaths ?? (mod as { default?: typeof mod }).default?.setWasmPaths;
  try {
    setWasmPaths?.(dir + sep);
  } catch {
    /* reported by setBackend */
  }
  let ok: boolean;
  try {
    ok = await tf.setBackend('wasm');
  } catch (e) {
    return `wasm backend failed to initialise: ${(e as Error).message}`;
  }
  if (!ok) return 'wasm backend failed to initialise (see the tfjs warning above)';
  registerWasmKernels();
  return null;
}
