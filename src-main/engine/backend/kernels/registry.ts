/**
 * Swapping wasm kernels in and out of the (process-global) tfjs kernel registry.
 *
 * Why a global stash: tfjs keeps its kernel registry on `globalThis`, so it
 * outlives any one copy of this module (test runners re-evaluate our modules
 * per file while tfjs itself stays cached). The stock configs we replace are
 * therefore stashed on `globalThis` too; installing twice is a no-op and
 * `restoreStockWasmKernels` can always put the originals back.
 */
import { tf } from '../tf';

export const WASM = 'wasm';

/** Builds our kernelFunc; `stock` is the kernel it replaces (undefined when wasm has none). */
export type KernelFactory = (stock: tf.KernelFunc | undefined) => tf.KernelFunc;

interface Stash {
  /** Stock config per kernel name; `null` when wasm had no such kernel. */
  stock: Map<string, tf.KernelConfig | null>;
  /** The kernelFuncs we installed, to recognise our own registrations. */
  ours: Set<tf.KernelFunc>;
}

const STASH_KEY = Symbol.for('ganvas.wasmKernelStash');

function stash(): Stash {
  const g = globalThis as typeof globalThis & { [STASH_KEY]?: Stash };
  g[STASH_KEY] ??= { stock: new Map(), ours: new Set() };
  return g[STASH_KEY];
}

/** True when the wasm kernel `name` is one of ours. */
export function isOurs(name: string): boolean {
  const cfg = tf.getKernel(name, WASM);
  return cfg !== undefined && stash().ours.has(cfg.kernelFunc);
}

/**
 * Replaces (or adds) the wasm kernel `name` with `make(stock)`. Idempotent.
 * The stock setupFunc/disposeFunc are carried over: if the wasm backend is
 * initialised after this call, the stock kernel's wasm bindings must still be
 * set up or our fallback to it would call an uninitialised function.
 */
export function installWasmKernel(name: string, make: KernelFactory): void {
  if (isOurs(name)) return;
  const s = stash();
  const current = tf.getKernel(name, WASM);
  if (!s.stock.has(name)) s.stock.set(name, current ?? null);
  const stock = s.stock.get(name) ?? undefined;
  const kernelFunc = make(stock?.kernelFunc);
  s.ours.add(kernelFunc);
  if (current !== undefined) tf.unregisterKernel(name, WASM);
  tf.registerKernel({
    kernelName: name,
    backendName: WASM,
    kernelFunc,
    setupFunc: stock?.setupFunc,
    disposeFunc: stock?.disposeFunc,
  });
}

/** The stock wasm kernelFunc for `name` (whether or not ours is installed). */
export function stockWasmKernel(name: string): tf.KernelFunc | undefined {
  const s = stash();
  if (s.stock.has(name)) return s.stock.get(name)?.kernelFunc;
  return isOurs(name) ? undefined : tf.getKernel(name, WASM)?.kernelFunc;
}

/** Puts every stock kernel back (removing kernels wasm never had). Used by benchmarks/tests. */
export function restoreStockWasmKernels(): void {
  for (const [name, cfg] of stash().stock) {
    if (!isOurs(name)) continue;
    tf.unregisterKernel(name, WASM);
    if (cfg) tf.registerKernel(cfg);
  }
}
