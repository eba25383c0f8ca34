/**
 * CUDA's kernel cache for GPUs newer than tfjs-node-gpu's build.
 *
 * Why: the build carries compiled kernels up to compute capability 7.5 and PTX for 8.0
 * (gpu-diagnostics.ts); on any newer GPU the driver compiles TensorFlow's PTX when CUDA starts,
 * 90-120 s per launch on an RTX A4000 and reportedly much longer on an H100. The driver keeps the
 * result in its JIT cache, but the default cache (256 MiB or 1 GiB depending on the driver) is
 * smaller than TensorFlow's kernels and shared with every other CUDA program, so they are compiled
 * again at every start. CUDA reads CUDA_CACHE_MAXSIZE / CUDA_CACHE_PATH / CUDA_CACHE_DISABLE when
 * it initialises, so they must be in the environment before the addon loads (CUDA Programming
 * Guide, "CUDA Environment Variables": CUDA_CACHE_MAXSIZE is at most 4 GiB).
 * A user's own value is never replaced.
 */
import { join, win32 } from 'node:path';
import type { CudaCacheSetup, NvidiaGpu } from './gpu-diagnostics';

/** 4 GiB, the largest CUDA_CACHE_MAXSIZE the driver accepts. */
export const CUDA_CACHE_MAX_BYTES = 4 * 1024 ** 3;

type Env = Record<string, string | undefined>;

/** Ganvas's own cache folder, where the OS keeps per-user caches (null where CUDA does not exist). */
export function cudaCacheFolder(platform: NodeJS.Platform, env: Env, home: string): string | null {
  if (platform === 'win32') return win32.join(env.LOCALAPPDATA ?? win32.join(home, 'AppData', 'Local'), 'Ganvas', 'CudaKernelCache');
  if (platform === 'darwin') return null;
  return join(env.XDG_CACHE_HOME ?? join(home, '.cache'), 'ganvas', 'cuda-kernel-cache');
}

/**
 * What to set for `gpus` (those needing a compile at start): null when there are none. With
 * CUDA_CACHE_DISABLE=1 nothing is set (the user turned the cache off), and the finding says so.
 */
export function planCudaCache(gpus: NvidiaGpu[], env: Env, platform: NodeJS.Platform, home: string): CudaCacheSetup | null {
  if (gpus.length === 0) return null;
  const disabled = env.CUDA_CACHE_DISABLE === '1';
  const set: Record<string, string> = {};
  if (!disabled) {
    if (env.CUDA_CACHE_MAXSIZE === undefined) set.CUDA_CACHE_MAXSIZE = String(CUDA_CACHE_MAX_BYTES);
    const folder = cudaCacheFolder(platform, env, home);
    if (env.CUDA_CACHE_PATH === undefined && folder !== null) set.CUDA_CACHE_PATH = folder;
  }
  return {
    gpus,
    disabled,
    path: env.CUDA_CACHE_PATH ?? set.CUDA_CACHE_PATH ?? null,
    maxSize: env.CUDA_CACHE_MAXSIZE ?? set.CUDA_CACHE_MAXSIZE ?? String(CUDA_CACHE_MAX_BYTES),
    maxSizeIsYours: env.CUDA_CACHE_MAXSIZE !== undefined,
    set,
  };
}

/**
 * Writes the planned variables into `env` (process.env: the real environment CUDA will read).
 * `makeFolder` creates our cache folder; if it cannot, the driver's default folder is kept.
 */
export function applyCudaCache(setup: CudaCacheSetup, env: Env, makeFolder: (dir: string) => void): CudaCacheSetup {
  const set = { ...setup.set };
  if (set.CUDA_CACHE_PATH !== undefined) {
    try {
      makeFolder(set.CUDA_CACHE_PATH);
    } catch {
      delete set.CUDA_CACHE_PATH;
    }
  }
  Object.assign(env, set);
  return { ...setup, set, path: env.CUDA_CACHE_PATH ?? null };
}
