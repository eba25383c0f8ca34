/**
 * Choosing the tfjs backend the engine trains on, with an honest report.
 *
 * Preference (auto) in a Node process: tensorflow-gpu > tensorflow (native libtensorflow) > wasm
 * (XNNPACK + our kernels, ~20x faster than cpu for a GAN step) > cpu. WebGPU, second in the app's
 * order, runs in a compute window instead (engine/compute/train-device.ts chooses it for training).
 */
import { BACKEND_NAMES, type BackendAttempt, type BackendChoice, type BackendName, type BackendReport } from '../../shared/types/backend';
import { tf } from './tf';
import { CPU_PKG, GPU_PKG, loadNativePackage, type NativeBackendFlags } from './native';
import { activateWasm } from './wasm';
import { registerTensorflowKernels } from './kernels/fused_tf';
import { diagnoseGpu, type GpuEnvironment } from './gpu-diagnostics';
import { prepareGpuEnvironment } from './gpu-probes';

/** What the tensorflow-gpu attempt looks at before loading (tests inject what the probes would see). */
export type GpuEnvironmentSource = () => Promise<GpuEnvironment>;

/** The backends a Node process can run itself, in order of preference ('webgpu' needs a compute window). */
export const BACKEND_ORDER: readonly BackendName[] = BACKEND_NAMES.filter((name) => name !== 'webgpu');

/** Why this process cannot run 'webgpu' itself (the compute host trains there through the window instead). */
export const WEBGPU_NOT_IN_NODE = 'WebGPU runs in the desktop app\'s compute window; the CLI and `ganvas serve` train on the Node backends';

/** tfjs' name for the native backend; both tfjs-node builds register it. */
const TF_NATIVE = 'tensorflow';

let lastReport: BackendReport | null = null;
/** Serialises selections: two interleaved setBackend sequences would leave tfjs in either state. */
let queue: Promise<unknown> = Promise.resolve();

async function setTfBackend(name: string): Promise<boolean> {
  try {
    return await tf.setBackend(name);
  } catch {
    return false;
  }
}

function nativeFlags(): NativeBackendFlags {
  return tf.backend() as unknown as NativeBackendFlags;
}

/**
 * Both tfjs-node builds register the same 'tensorflow' backend and kernels, so
 * only one can ever be loaded per process; whichever is loaded is reused.
 */
async function activateNative(pkg: string): Promise<string | null> {
  if (!tf.findBackendFactory(TF_NATIVE)) {
    const failure = loadNativePackage(pkg);
    if (failure !== null) return failure;
  }
  if (!(await setTfBackend(TF_NATIVE))) return 'the TensorFlow backend failed to initialise';
  registerTensorflowKernels();
  return null;
}

/** An attempt's outcome: null reason when it worked; findings explain the GPU either way. */
interface AttemptOutcome {
  reason: string | null;
  findings?: string[];
}

/**
 * The tensorflow-gpu attempt: probes the driver and CUDA libraries (and sets CUDA's kernel cache
 * up) before the addon loads, then says what it found, whether TensorFlow got a GPU or not.
 */
async function tryGpu(gpuEnvironment: GpuEnvironmentSource): Promise<AttemptOutcome> {
  const env = await gpuEnvironment();
  const failure = await activateNative(GPU_PKG);
  if (failure !== null) return { reason: failure, findings: diagnoseGpu(env, { loaded: false }) };
  const flags = nativeFlags();
  if (flags.isGPUPackage === false) {
    return { reason: `${CPU_PKG} (CPU build) is already loaded in this process; restart to use ${GPU_PKG}` };
  }
  const usingGpuDevice = flags.isUsingGpuDevice === true;
  const findings = diagnoseGpu(env, { loaded: true, usingGpuDevice });
  if (!usingGpuDevice) {
    return {
      reason:
        `${GPU_PKG} loaded, but TensorFlow found no usable CUDA GPU ` +
        '(needs an NVIDIA GPU, CUDA 11.2 and cuDNN 8.1); it would silently run on the CPU',
      findings,
    };
  }
  return { reason: null, findings };
}

async function tryBackend(name: Exclude<BackendName, 'tensorflow-gpu'>): Promise<string | null> {
  switch (name) {
    case 'tensorflow':
      return activateNative(CPU_PKG);
    case 'wasm':
      return activateWasm();
    case 'cpu':
      return (await setTfBackend('cpu')) ? null : 'the cpu backend failed to initialise';
    case 'webgpu':
      return WEBGPU_NOT_IN_NODE;
  }
}

/** Maps tfjs' active backend to our name (the native one by whether it really uses a GPU). */
function currentName(): BackendName {
  const tfName = tf.getBackend();
  if (tfName === TF_NATIVE) return nativeFlags().isUsingGpuDevice === true ? 'tensorflow-gpu' : 'tensorflow';
  if (tfName === 'wasm' || tfName === 'cpu') return tfName;
  throw new Error(`tfjs backend '${tfName}' is not one Ganvas manages`);
}

async function select(choice: BackendChoice, gpuEnvironment: GpuEnvironmentSource): Promise<BackendReport> {
  const order = choice === 'auto' ? BACKEND_ORDER : [choice];
  const attempts: BackendAttempt[] = [];
  for (const name of order) {
    const { reason, findings } = name === 'tensorflow-gpu' ? await tryGpu(gpuEnvironment) : { reason: await tryBackend(name) };
    const notes = findings?.length ? { findings } : {};
    if (reason === null) {
      attempts.push({ name, ok: true, ...notes });
      lastReport = { active: currentName(), requested: choice, attempts };
      return lastReport;
    }
    attempts.push({ name, ok: false, reason, ...notes });
    if (choice !== 'auto') throw new Error(`Backend '${name}' is unavailable: ${reason}`);
  }
  // Unreachable in practice: cpu is pure JS and always initialises.
  throw new Error(`No tfjs backend could be initialised: ${attempts.map((a) => `${a.name}: ${a.reason}`).join('; ')}`);
}

/**
 * Activates a backend and records why each preferred one was skipped.
 * 'auto' tries tensorflow-gpu, tensorflow, wasm, cpu in that order; a named
 * choice tries only that one and throws (with the reason) if it is unavailable.
 * On wasm the custom kernels (weight gradient, fast transposed conv, fast tile) are registered.
 * The tensorflow-gpu attempt carries `findings` about the driver, CUDA/cuDNN and the GPU
 * (gpu-diagnostics.ts); `gpuEnvironment` is what it probes (tests inject it).
 */
export function selectBackend(
  choice: BackendChoice = 'auto',
  gpuEnvironment: GpuEnvironmentSource = prepareGpuEnvironment,
): Promise<BackendReport> {
  const run = queue.then(() => select(choice, gpuEnvironment));
  queue = run.catch(() => undefined);
  return run;
}

/** The report of the last successful `selectBackend`, or null before one. */
export function getBackendReport(): BackendReport | null {
  return lastReport;
}

/**
 * Our name for the backend tfjs is running on now (tensorflow-gpu only when
 * TensorFlow really uses a GPU). Before any selection this is tfjs' default.
 */
export function backendName(): BackendName {
  return currentName();
}
