/**
 * Why tfjs-node-gpu is (not) using the GPU, in lines a user can act on.
 *
 * Pure: it reads what the probes saw (gpu-probes.ts runs them) and returns findings. TensorFlow's
 * own explanation ("Could not load dynamic library libcudart.so.11.0") is a warning in its C++ log,
 * which the loader hides (TF_CPP_MIN_LOG_LEVEL=2, see native.ts) and a desktop user never sees; the
 * GPU is then silently unused (tfjs#8269, #8187, #8362). These checks say it up front.
 */
import { REQUIRED_LIBRARIES, requiredFile, requiredMajor, type CudaLibraryName, type FoundLibrary } from './gpu-libraries';

/**
 * What the GPU build tfjs-node-gpu 4.22 downloads was built against: libtensorflow 2.9.1
 * (LIBTENSORFLOW_VERSION in the package's scripts/deps-constants.js), CUDA 11.2 and cuDNN 8.1.
 *
 * GPU code: TensorFlow's release builds of the CUDA 11.2 era set
 * TF_CUDA_COMPUTE_CAPABILITIES=sm_35,sm_50,sm_60,sm_70,sm_75,compute_80 (read in TensorFlow's Windows
 * release script, tensorflow/tools/ci_build/release, beside TF_CUDA_VERSION=11.2; the Linux release
 * config in .bazelrc carried the same list, from memory, not re-read on the 2.9 branch): compiled
 * kernels (SASS) up to 7.5, and PTX for 8.0 that the driver compiles at start on any newer GPU
 * (Ampere 8.x, Ada 8.9, Hopper 9.0, ...). Not read from the libtensorflow 2.9.1 binary itself
 * (`cuobjdump --list-elf` would settle it); the 90-120 s start measured on an RTX A4000 (8.6) fits it.
 */
export const TF_GPU_BUILD = {
  label: 'tfjs-node-gpu 4.22 (TensorFlow 2.9)',
  cuda: '11.2',
  cudnn: '8.1',
  /** A GPU runs SASS built for its own major version and the same or a lower minor. */
  sass: ['3.5', '5.0', '6.0', '7.0', '7.5'],
  minCapability: '3.5',
} as const;

export interface NvidiaGpu {
  name: string;
  /** "8.6", or null where the driver is too old to report it. */
  computeCapability: string | null;
  driverVersion: string;
}

/** What `nvidia-smi` said: absent (no NVIDIA driver installed), failed (driver broken), or the GPUs. */
export type NvidiaSmi = { kind: 'absent' } | { kind: 'failed'; message: string } | { kind: 'ok'; gpus: NvidiaGpu[] };

/** What was done about CUDA's kernel cache because a GPU is newer than the build (gpu-cache.ts). */
export interface CudaCacheSetup {
  gpus: NvidiaGpu[];
  /** CUDA_CACHE_DISABLE=1: every start compiles again, and nothing was set. */
  disabled: boolean;
  /** The cache folder in effect (the user's, Ganvas's own), or null for the driver's default. */
  path: string | null;
  /** CUDA_CACHE_MAXSIZE in effect, in bytes. */
  maxSize: string;
  maxSizeIsYours: boolean;
  /** The variables this process set; each was unset before. */
  set: Record<string, string>;
}

/** Everything the probes saw before tfjs-node-gpu was loaded. */
export interface GpuEnvironment {
  platform: NodeJS.Platform;
  smi: NvidiaSmi;
  libraries: FoundLibrary[];
  /** What was done about CUDA's kernel cache for a GPU newer than the build (null: nothing needed). */
  cache: CudaCacheSetup | null;
}

/** What tfjs-node-gpu did: did not load (the attempt's reason says why), or loaded and found a GPU or not. */
export type TfjsGpuState = { loaded: false } | { loaded: true; usingGpuDevice: boolean };

/** "8.6" -> [8, 6] */
function parseCapability(cc: string): [number, number] {
  const [major, minor] = cc.split('.').map(Number);
  return [major, minor ?? 0];
}

/** True when the build has compiled kernels this GPU runs as they are (no PTX compile at start). */
export function hasNativeKernels(cc: string): boolean {
  const [major, minor] = parseCapability(cc);
  return TF_GPU_BUILD.sass.some((s) => {
    const [sMajor, sMinor] = parseCapability(s);
    return sMajor === major && sMinor <= minor;
  });
}

function isTooOld(cc: string): boolean {
  const [major, minor] = parseCapability(cc);
  const [minMajor, minMinor] = parseCapability(TF_GPU_BUILD.minCapability);
  return major < minMajor || (major === minMajor && minor < minMinor);
}

/** GPUs the build has no compiled kernels for, but PTX the driver compiles for them at start. */
export function gpusNeedingJit(smi: NvidiaSmi): NvidiaGpu[] {
  if (smi.kind !== 'ok') return [];
  return smi.gpus.filter((g) => g.computeCapability !== null && !hasNativeKernels(g.computeCapability) && !isTooOld(g.computeCapability));
}

const DOCS = 'see docs/gpu.md';

function describeGpu(g: NvidiaGpu): string {
  return `${g.name} (compute capability ${g.computeCapability ?? 'unknown'}, driver ${g.driverVersion})`;
}

function where(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'a folder on PATH' : 'the loader path (ldconfig or LD_LIBRARY_PATH)';
}

function libraryFindings(env: GpuEnvironment): string[] {
  const { platform, libraries } = env;
  const found = (name: CudaLibraryName) => libraries.filter((l) => l.name === name);
  const has = (name: CudaLibraryName) => found(name).some((l) => l.major === requiredMajor(name));
  const others = (name: CudaLibraryName) => [...new Set(found(name).map((l) => l.file))].join(', ');
  const majors = (name: CudaLibraryName) => [...new Set(found(name).map((l) => l.major))].sort((a, b) => b - a).join('/');
  const libAdvice =
    platform === 'win32'
      ? 'install CUDA 11.2 and cuDNN 8.1 and put their bin folders on PATH'
      : 'install the CUDA 11 runtime (CUDA 11.2, or the pip wheels nvidia-cuda-runtime-cu11, nvidia-cublas-cu11, nvidia-cudnn-cu11 … with their lib folders on LD_LIBRARY_PATH)';
  const out: string[] = [];
  const cudartOk = has('cudart');
  if (!cudartOk) {
    out.push(
      found('cudart').length > 0
        ? `CUDA ${majors('cudart')} runtime found (${others('cudart')}) but ${TF_GPU_BUILD.label} needs CUDA 11 (${requiredFile('cudart', platform)}): ${libAdvice}, ${DOCS}`
        : `No CUDA runtime found (${requiredFile('cudart', platform)} is not in ${where(platform)}): ${libAdvice}, ${DOCS}`,
    );
  }
  const middle = REQUIRED_LIBRARIES.map((l) => l.name).filter((n) => n !== 'cudart' && n !== 'cudnn' && !has(n));
  // With no CUDA 11 runtime at all, the line above already covers the rest of the toolkit.
  const noCuda11 = !cudartOk && middle.length === REQUIRED_LIBRARIES.length - 2 && middle.every((n) => found(n).length === 0);
  if (middle.length > 0 && !noCuda11) {
    const wrong = middle.filter((n) => found(n).length > 0).map(others);
    out.push(
      `CUDA 11 libraries missing: ${middle.map((n) => requiredFile(n, platform)).join(', ')}` +
        `${wrong.length ? ` (found ${wrong.join(', ')}, another CUDA version)` : ''}: TensorFlow uses the GPU only when all load; ${libAdvice}, ${DOCS}`,
    );
  }
  if (!has('cudnn')) {
    const need = requiredFile('cudnn', platform);
    out.push(
      found('cudnn').length > 0
        ? `cuDNN ${majors('cudnn')} found (${others('cudnn')}) but TensorFlow 2.9 needs cuDNN 8 (${need}): install cuDNN 8.1 for CUDA 11 (or the pip wheel nvidia-cudnn-cu11 8.x), ${DOCS}`
        : `cuDNN 8 not found (${need} is not in ${where(platform)}): install cuDNN 8.1 for CUDA 11 (or the pip wheel nvidia-cudnn-cu11 8.x), ${DOCS}`,
    );
  }
  return out;
}

function driverFindings(smi: NvidiaSmi, tfjs: TfjsGpuState): string[] {
  if (smi.kind === 'absent')
    return [`No NVIDIA driver found (no nvidia-smi): tfjs-node-gpu needs an NVIDIA GPU and its driver, so Ganvas trains on the CPU backends; ${DOCS}`];
  if (smi.kind === 'failed')
    return [`nvidia-smi failed (${smi.message}): the NVIDIA driver is not working; reinstall it or restart after an update, ${DOCS}`];
  if (smi.gpus.length === 0) return ['nvidia-smi lists no GPU: check that the GPU is seated and enabled'];
  const out: string[] = [];
  for (const g of smi.gpus) {
    // CUDA 11.x needs driver 450.80.02+ (Linux) / 452.39+ (Windows); a major below 450 cannot be enough.
    if (Number(g.driverVersion.split('.')[0]) < 450)
      out.push(`${describeGpu(g)}: the driver is too old for CUDA 11 (needs 450.80.02 or newer; 460 or newer for GPUs newer than the build): update it, ${DOCS}`);
    const cc = g.computeCapability;
    if (cc !== null && isTooOld(cc))
      out.push(`${describeGpu(g)} is older than TensorFlow 2.9 supports (compute capability ${TF_GPU_BUILD.minCapability} or newer)`);
  }
  if (!tfjs.loaded && out.length === 0)
    out.push(`An NVIDIA GPU is here: ${smi.gpus.map(describeGpu).join('; ')}; tfjs-node-gpu did not load (the reason above), ${DOCS}`);
  return out;
}

function cacheFindings(env: GpuEnvironment): string[] {
  const c = env.cache;
  if (!c) return [];
  const gpus = c.gpus.map(describeGpu).join('; ');
  if (c.disabled)
    return [`${gpus} is newer than ${TF_GPU_BUILD.label}'s compiled kernels and CUDA's kernel cache is off (CUDA_CACHE_DISABLE): every start compiles them again (minutes); unset it`];
  const size = c.maxSizeIsYours ? `CUDA_CACHE_MAXSIZE=${c.maxSize}, your setting` : `up to ${Number(c.maxSize) / 1024 ** 3} GiB`;
  return [
    `${gpus} is newer than ${TF_GPU_BUILD.label}'s compiled kernels (up to compute capability 7.5): ` +
      `the first start compiles them for this GPU (minutes; on the newest GPUs up to half an hour) and later starts reuse them from CUDA's cache (${c.path ?? 'the driver default'}, ${size})`,
  ];
}

/**
 * Findings about the tensorflow-gpu attempt: empty when tfjs-node-gpu runs on a GPU it has compiled
 * kernels for. When TensorFlow uses the GPU, its word wins over the probes (only the kernel cache
 * is worth a line); otherwise the driver, the CUDA/cuDNN libraries and the fallback are explained.
 */
export function diagnoseGpu(env: GpuEnvironment, tfjs: TfjsGpuState): string[] {
  if (env.platform === 'darwin')
    return [`macOS has no CUDA: tfjs-node-gpu cannot use this Mac's GPU; ${DOCS}`];
  if (tfjs.loaded && tfjs.usingGpuDevice) return cacheFindings(env);
  const out: string[] = [];
  if (tfjs.loaded)
    out.push('TensorFlow fell back to the CPU: tfjs-node-gpu loaded, but TensorFlow registered no GPU device');
  out.push(...driverFindings(env.smi, tfjs));
  if (env.smi.kind === 'absent') return out;
  const libs = libraryFindings(env);
  out.push(...libs);
  if (tfjs.loaded && libs.length === 0 && env.smi.kind === 'ok' && env.smi.gpus.length > 0)
    out.push(`The CUDA 11 and cuDNN 8 libraries were found: start Ganvas with TF_CPP_MIN_LOG_LEVEL=1 to see TensorFlow's own reason in its log, ${DOCS}`);
  return out;
}
