/**
 * The tensorflow-gpu report, by injecting what the probes see (there is no GPU or libtensorflow
 * here): no CUDA at all, CUDA 12 only, TensorFlow falling back to the CPU, a GPU newer than the
 * build's kernels (CUDA's cache set up, a user's own values kept) and a healthy CUDA 11.2 machine.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { tf } from '../../src-main/engine/backend/tf';
import { selectBackend } from '../../src-main/engine/backend/select';
import { diagnoseGpu, gpusNeedingJit, type GpuEnvironment, type NvidiaGpu } from '../../src-main/engine/backend/gpu-diagnostics';
import { matchCudaLibrary, type FoundLibrary } from '../../src-main/engine/backend/gpu-libraries';
import { applyCudaCache, CUDA_CACHE_MAX_BYTES, planCudaCache } from '../../src-main/engine/backend/gpu-cache';
import { parseLdconfig, parseNvidiaSmi } from '../../src-main/engine/backend/gpu-probes';

const libs = (files: string[], platform: NodeJS.Platform = 'linux'): FoundLibrary[] =>
  files.map((f) => matchCudaLibrary(f, platform)).filter((l): l is FoundLibrary => l !== null);

const CUDA_11_2 = ['libcudart.so.11.0', 'libcublas.so.11', 'libcublasLt.so.11', 'libcufft.so.10', 'libcurand.so.10', 'libcusolver.so.11', 'libcusparse.so.11', 'libcudnn.so.8'];
// What a CUDA 12.4 toolkit and cuDNN 9 put in the loader's cache: curand 10 and cusolver 11 keep CUDA 11's sonames.
const CUDA_12 = ['libcudart.so.12', 'libcublas.so.12', 'libcublasLt.so.12', 'libcufft.so.11', 'libcurand.so.10', 'libcusolver.so.11', 'libcusparse.so.12', 'libcudnn.so.9'];

const gpu = (name: string, computeCapability: string | null, driverVersion = '535.104.05'): NvidiaGpu => ({ name, computeCapability, driverVersion });
const rtx2080 = gpu('NVIDIA GeForce RTX 2080', '7.5');
const h100 = gpu('NVIDIA H100 80GB HBM3', '9.0');

function environment(over: Partial<GpuEnvironment>): GpuEnvironment {
  return { platform: 'linux', smi: { kind: 'ok', gpus: [rtx2080] }, libraries: libs(CUDA_11_2), cache: null, ...over };
}
const noDriver = environment({ smi: { kind: 'absent' }, libraries: [] });
const cuda12Only = environment({ smi: { kind: 'ok', gpus: [gpu('NVIDIA GeForce RTX 4090', '8.9', '550.54.14')] }, libraries: libs(CUDA_12) });

describe('what the probes read', () => {
  it('finds CUDA libraries in ldconfig -p output and Windows DLL names, with their major versions', () => {
    const ldconfig = [
      '812 libs found in cache `/etc/ld.so.cache\'',
      '\tlibcudnn.so.8 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcudnn.so.8',
      '\tlibcudart.so.12 (libc6,x86-64) => /usr/local/cuda-12.4/targets/x86_64-linux/lib/libcudart.so.12',
      '\tlibcublasLt.so.11 (libc6,x86-64) => /usr/local/cuda-11.2/lib64/libcublasLt.so.11',
      '\tlibc.so.6 (libc6,x86-64, OS ABI: Linux 3.2.0) => /lib/x86_64-linux-gnu/libc.so.6',
    ].join('\n');
    expect(libs(parseLdconfig(ldconfig))).toEqual([
      { name: 'cudnn', major: 8, file: 'libcudnn.so.8' },
      { name: 'cudart', major: 12, file: 'libcudart.so.12' },
      { name: 'cublasLt', major: 11, file: 'libcublasLt.so.11' },
    ]);
    expect(libs(['cudart64_110.dll', 'cudart64_12.dll', 'cudart64_101.dll', 'cuDNN64_8.dll', 'cublas64_11.dll', 'nvcuda.dll'], 'win32')).toEqual([
      { name: 'cudart', major: 11, file: 'cudart64_110.dll' },
      { name: 'cudart', major: 12, file: 'cudart64_12.dll' },
      { name: 'cudart', major: 10, file: 'cudart64_101.dll' },
      { name: 'cudnn', major: 8, file: 'cuDNN64_8.dll' },
      { name: 'cublas', major: 11, file: 'cublas64_11.dll' },
    ]);
  });

  it("parses nvidia-smi's CSV, with and without the compute_cap column", () => {
    expect(parseNvidiaSmi('NVIDIA GeForce RTX 3060, 8.6, 535.104.05\nTesla K80, [N/A], 470.82.01\n', true)).toEqual([
      gpu('NVIDIA GeForce RTX 3060', '8.6'),
      gpu('Tesla K80', null, '470.82.01'),
    ]);
    expect(parseNvidiaSmi('Quadro P4000, 440.33.01\r\n', false)).toEqual([gpu('Quadro P4000', null, '440.33.01')]);
  });

  it('only GPUs without compiled kernels in the build need the compile at start', () => {
    const gpus = ['3.0', '3.7', '6.1', '7.2', '7.5', '8.0', '8.6', '8.9', '9.0', null].map((cc) => gpu(`cc ${cc}`, cc));
    expect(gpusNeedingJit({ kind: 'ok', gpus }).map((g) => g.computeCapability)).toEqual(['8.0', '8.6', '8.9', '9.0']);
  });
});

describe('the tensorflow-gpu findings', () => {
  it('no CUDA at all: no NVIDIA driver, said in one line', () => {
    expect(diagnoseGpu(noDriver, { loaded: false })).toEqual([expect.stringMatching(/^No NVIDIA driver found \(no nvidia-smi\).*CPU backends; see docs\/gpu\.md$/)]);
  });

  it('CUDA 12 only: the runtime, the missing CUDA 11 libraries and cuDNN 9 each get a line with what to do', () => {
    const [gpuHere, ...findings] = diagnoseGpu(cuda12Only, { loaded: false });
    expect(gpuHere).toMatch(/^An NVIDIA GPU is here: NVIDIA GeForce RTX 4090 \(compute capability 8\.9, driver 550\.54\.14\); tfjs-node-gpu did not load/);
    expect(findings).toHaveLength(3);
    expect(findings[0]).toMatch(/^CUDA 12 runtime found \(libcudart\.so\.12\) but tfjs-node-gpu 4\.22 \(TensorFlow 2\.9\) needs CUDA 11 \(libcudart\.so\.11\.0\): .*nvidia-cuda-runtime-cu11.*LD_LIBRARY_PATH/);
    // curand 10 and cusolver 11 from CUDA 12 have the sonames TensorFlow asks for.
    expect(findings[1]).toMatch(/^CUDA 11 libraries missing: libcublas\.so\.11, libcublasLt\.so\.11, libcufft\.so\.10, libcusparse\.so\.11 \(found libcublas\.so\.12, libcublasLt\.so\.12, libcufft\.so\.11, libcusparse\.so\.12, another CUDA version\)/);
    expect(findings[2]).toMatch(/^cuDNN 9 found \(libcudnn\.so\.9\) but TensorFlow 2\.9 needs cuDNN 8 \(libcudnn\.so\.8\)/);
    const windows = diagnoseGpu({ ...cuda12Only, platform: 'win32', libraries: libs(['cudart64_12.dll'], 'win32') }, { loaded: false });
    expect(windows[1]).toMatch(/^CUDA 12 runtime found \(cudart64_12\.dll\) but .* needs CUDA 11 \(cudart64_110\.dll\): install CUDA 11\.2 .* on PATH/);
  });

  it('CPU fallback: says TensorFlow fell back to the CPU, then why (or how to see why)', () => {
    const libsFine = diagnoseGpu(environment({}), { loaded: true, usingGpuDevice: false });
    expect(libsFine).toEqual([
      'TensorFlow fell back to the CPU: tfjs-node-gpu loaded, but TensorFlow registered no GPU device',
      expect.stringMatching(/^The CUDA 11 and cuDNN 8 libraries were found: start Ganvas with TF_CPP_MIN_LOG_LEVEL=1/),
    ]);
    const noCudnn = diagnoseGpu(environment({ libraries: libs(CUDA_11_2.slice(0, -1)) }), { loaded: true, usingGpuDevice: false });
    expect(noCudnn).toEqual([expect.stringMatching(/^TensorFlow fell back to the CPU/), expect.stringMatching(/^cuDNN 8 not found \(libcudnn\.so\.8 is not in the loader path/)]);
    const noDriverLoaded = diagnoseGpu(noDriver, { loaded: true, usingGpuDevice: false });
    expect(noDriverLoaded).toEqual([expect.stringMatching(/^TensorFlow fell back to the CPU/), expect.stringMatching(/^No NVIDIA driver found/)]);
  });

  it('an old driver and a GPU older than TensorFlow 2.9 supports are named', () => {
    const findings = diagnoseGpu(environment({ smi: { kind: 'ok', gpus: [gpu('GeForce GTX 680', '3.0', '418.56')] } }), { loaded: false });
    expect(findings).toEqual([
      expect.stringMatching(/^GeForce GTX 680 \(compute capability 3\.0, driver 418\.56\): the driver is too old for CUDA 11/),
      expect.stringMatching(/is older than TensorFlow 2\.9 supports \(compute capability 3\.5 or newer\)$/),
    ]);
  });

  it('healthy CUDA 11.2 + cuDNN 8 on a GPU with compiled kernels: no findings at all', () => {
    expect(diagnoseGpu(environment({}), { loaded: true, usingGpuDevice: true })).toEqual([]);
    // TensorFlow's word wins: a GPU in use is not contradicted by a missing nvidia-smi.
    expect(diagnoseGpu(noDriver, { loaded: true, usingGpuDevice: true })).toEqual([]);
  });

  it('macOS: one line, no CUDA there', () => {
    expect(diagnoseGpu({ ...noDriver, platform: 'darwin' }, { loaded: false })).toEqual([expect.stringMatching(/^macOS has no CUDA/)]);
  });
});

describe('a GPU newer than the build: CUDA kernel cache', () => {
  it('sets a 4 GiB cache in a folder of its own, and says the first start compiles', () => {
    const env: Record<string, string | undefined> = { XDG_CACHE_HOME: '/home/ada/.cache' };
    const plan = planCudaCache([h100], env, 'linux', '/home/ada')!;
    const made: string[] = [];
    const setup = applyCudaCache(plan, env, (dir) => made.push(dir));
    expect(env.CUDA_CACHE_MAXSIZE).toBe(String(CUDA_CACHE_MAX_BYTES));
    expect(env.CUDA_CACHE_PATH).toBe('/home/ada/.cache/ganvas/cuda-kernel-cache');
    expect(made).toEqual(['/home/ada/.cache/ganvas/cuda-kernel-cache']);
    const findings = diagnoseGpu(environment({ smi: { kind: 'ok', gpus: [h100] }, cache: setup }), { loaded: true, usingGpuDevice: true });
    expect(findings).toEqual([
      expect.stringMatching(
        /^NVIDIA H100 80GB HBM3 \(compute capability 9\.0, .*\) is newer than .* compiled kernels .*the first start compiles them .*later starts reuse them from CUDA's cache \(\/home\/ada\/\.cache\/ganvas\/cuda-kernel-cache, up to 4 GiB\)$/,
      ),
    ]);
  });

  it("keeps the user's own CUDA_CACHE_MAXSIZE and CUDA_CACHE_PATH", () => {
    const env: Record<string, string | undefined> = { CUDA_CACHE_MAXSIZE: '2147483648', CUDA_CACHE_PATH: 'D:\\cuda-cache', LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' };
    const setup = applyCudaCache(planCudaCache([h100], env, 'win32', 'C:\\Users\\ada')!, env, () => undefined);
    expect(setup.set).toEqual({});
    expect(env).toMatchObject({ CUDA_CACHE_MAXSIZE: '2147483648', CUDA_CACHE_PATH: 'D:\\cuda-cache' });
    const [finding] = diagnoseGpu(environment({ platform: 'win32', cache: setup }), { loaded: true, usingGpuDevice: true });
    expect(finding).toMatch(/\(D:\\cuda-cache, CUDA_CACHE_MAXSIZE=2147483648, your setting\)$/);
    // Only the size was the user's: the folder becomes Ganvas's own, where Windows keeps caches.
    const partial: Record<string, string | undefined> = { CUDA_CACHE_MAXSIZE: '1073741824', LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' };
    applyCudaCache(planCudaCache([h100], partial, 'win32', 'C:\\Users\\ada')!, partial, () => undefined);
    expect(partial).toMatchObject({ CUDA_CACHE_MAXSIZE: '1073741824', CUDA_CACHE_PATH: 'C:\\Users\\ada\\AppData\\Local\\Ganvas\\CudaKernelCache' });
  });

  it('sets nothing when no GPU needs it, when the cache is off, or when its folder cannot be made', () => {
    expect(planCudaCache([], {}, 'linux', '/home/ada')).toBeNull();
    const off: Record<string, string | undefined> = { CUDA_CACHE_DISABLE: '1' };
    const disabled = applyCudaCache(planCudaCache([h100], off, 'linux', '/home/ada')!, off, () => undefined);
    expect(off).toEqual({ CUDA_CACHE_DISABLE: '1' });
    expect(diagnoseGpu(environment({ cache: disabled }), { loaded: true, usingGpuDevice: true })).toEqual([
      expect.stringMatching(/CUDA's kernel cache is off \(CUDA_CACHE_DISABLE\): every start compiles them again/),
    ]);
    const readOnly: Record<string, string | undefined> = {};
    const setup = applyCudaCache(planCudaCache([h100], readOnly, 'linux', '/home/ada')!, readOnly, () => {
      throw new Error('EACCES');
    });
    expect(readOnly).toEqual({ CUDA_CACHE_MAXSIZE: String(CUDA_CACHE_MAX_BYTES) });
    expect(setup.path).toBeNull();
  });
});

/** Stands in for tfjs-node-gpu's NodeJSKernelBackend: only the flags matter here. */
class FakeNativeBackend extends tf.KernelBackend {
  constructor(
    readonly isGPUPackage: boolean,
    readonly isUsingGpuDevice: boolean,
  ) {
    super();
  }
  override dispose(): void {}
}

describe('findings reach the backend report', () => {
  afterEach(async () => {
    await tf.setBackend('cpu');
    tf.removeBackend('tensorflow');
  });

  it('CPU fallback on a CUDA 12 machine: the skipped tensorflow-gpu attempt explains it', async () => {
    tf.registerBackend('tensorflow', () => new FakeNativeBackend(true, false));
    const report = await selectBackend('auto', async () => cuda12Only);
    expect(report.active).toBe('tensorflow');
    expect(report.attempts[0]).toMatchObject({ name: 'tensorflow-gpu', ok: false, reason: expect.stringMatching(/silently run on the CPU/) });
    expect(report.attempts[0].findings).toEqual([
      'TensorFlow fell back to the CPU: tfjs-node-gpu loaded, but TensorFlow registered no GPU device',
      expect.stringMatching(/^CUDA 12 runtime found/),
      expect.stringMatching(/^CUDA 11 libraries missing/),
      expect.stringMatching(/^cuDNN 9 found/),
    ]);
    expect(report.attempts[1]).toEqual({ name: 'tensorflow', ok: true });
    await expect(selectBackend('tensorflow-gpu', async () => cuda12Only)).rejects.toThrow(/silently run on the CPU/);
  });

  it('a GPU in use that is newer than the build: the active attempt says the first start compiles', async () => {
    tf.registerBackend('tensorflow', () => new FakeNativeBackend(true, true));
    const cache = planCudaCache([h100], {}, 'linux', '/home/ada');
    const report = await selectBackend('tensorflow-gpu', async () => environment({ smi: { kind: 'ok', gpus: [h100] }, cache }));
    expect(report.active).toBe('tensorflow-gpu');
    expect(report.attempts).toEqual([{ name: 'tensorflow-gpu', ok: true, findings: [expect.stringMatching(/the first start compiles them/)] }]);
    // Healthy: no findings field at all.
    expect((await selectBackend('auto', async () => environment({}))).attempts).toEqual([{ name: 'tensorflow-gpu', ok: true }]);
  });
});
