/**
 * The CUDA and cuDNN libraries tfjs-node-gpu's TensorFlow loads, and how their files are named.
 */

/**
 * The libraries TensorFlow 2.9 dlopens before it registers a GPU device; if any fails it skips the
 * GPU (tensorflow/stream_executor/platform/default/dlopen_checker.cc, TryDlopenCUDALibraries).
 * `version` is the soname suffix the CUDA 11.2 build asks for (as in its "Could not load dynamic
 * library 'libcudart.so.11.0'" warnings; the other suffixes are CUDA 11's sonames, from memory of
 * its cuda_config.h); on Windows the DLL is <name>64_<version without dots>.dll. CUDA 11.3-11.8 ship
 * the same sonames, so their libraries serve as well (CUDA minor version compatibility).
 */
export const REQUIRED_LIBRARIES = [
  { name: 'cudart', version: '11.0' },
  { name: 'cublas', version: '11' },
  { name: 'cublasLt', version: '11' },
  { name: 'cufft', version: '10' },
  { name: 'curand', version: '10' },
  { name: 'cusolver', version: '11' },
  { name: 'cusparse', version: '11' },
  { name: 'cudnn', version: '8' },
] as const;
export type CudaLibraryName = (typeof REQUIRED_LIBRARIES)[number]['name'];

/** One CUDA/cuDNN library file the dynamic loader can find. */
export interface FoundLibrary {
  name: CudaLibraryName;
  /** The major version in its file name (libcudart.so.12 -> 12, cudart64_110.dll -> 11). */
  major: number;
  file: string;
}

const LIB_PATTERN: Record<'unix' | 'win32', RegExp> = {
  unix: /^lib(cudart|cublasLt|cublas|cufft|curand|cusolver|cusparse|cudnn)\.so\.(\d+)(?:\.[\d.]+)?$/,
  win32: /^(cudart|cublasLt|cublas|cufft|curand|cusolver|cusparse|cudnn)64_(\d+)\.dll$/i,
};

/** A CUDA/cuDNN library file name on `platform`, or null if it is none of those TensorFlow needs. */
export function matchCudaLibrary(file: string, platform: NodeJS.Platform): FoundLibrary | null {
  const m = LIB_PATTERN[platform === 'win32' ? 'win32' : 'unix'].exec(file);
  if (!m) return null;
  const name = REQUIRED_LIBRARIES.find((l) => l.name.toLowerCase() === m[1].toLowerCase())!.name;
  let major = Number(m[2]);
  // Windows' CUDA runtime before 12 is named MAJORMINOR (cudart64_110.dll, cudart64_101.dll, cudart64_92.dll).
  if (platform === 'win32' && name === 'cudart' && major >= 80) major = Math.floor(major / 10);
  return { name, major, file };
}

/** The file name TensorFlow asks the loader for. */
export function requiredFile(name: CudaLibraryName, platform: NodeJS.Platform): string {
  const { version } = REQUIRED_LIBRARIES.find((l) => l.name === name)!;
  return platform === 'win32' ? `${name}64_${version.replace('.', '')}.dll` : `lib${name}.so.${version}`;
}

export function requiredMajor(name: CudaLibraryName): number {
  return Number(REQUIRED_LIBRARIES.find((l) => l.name === name)!.version.split('.')[0]);
}
