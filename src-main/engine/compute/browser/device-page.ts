/**
 * The compute window's side: G, D and both Adams on the window's WebGPU (WebGL when there is no
 * adapter), serving a compute host's calls one at a time. No view code and no files here: the
 * host sends batches and writes whatever comes back (checkpoints, grids, metrics).
 */
import { tf } from '../../backend/tf';
import { buildGan, disposeGan, ganState, samplingG, type Gan } from '../../models/gan';
import { generate } from '../../models/network';
import type { Checkpoint } from '../../project/checkpoints';
import { restoreGan } from '../../project/gan-state';
import { oneHot } from '../../sampling/noise';
import type { DeviceSnapshot } from '../../train/device/device';
import { stepTensors } from '../../train/device/step-tensors';
import { trainStepPacked, unpackStepMetrics } from '../../train/step';
import type { AdapterInfo, DeviceAnswers, DeviceCall, DeviceReply, DeviceRequest, ForwardAnswer } from './device-protocol';
import { PageNetworks } from './page-pictures';

/** How the window reaches its host: a MessagePort in Electron, the test harness's stand-in in Chromium. */
export interface HostPort {
  postMessage(message: DeviceReply, transfer?: ArrayBuffer[]): void;
  onMessage(listener: (request: DeviceRequest) => void): void;
}

/** The parts of WebGPU's adapter this file reads (typed here: the engine compiles without DOM types). */
interface GpuAdapterLike {
  info?: { vendor?: string; architecture?: string; description?: string };
  isFallbackAdapter?: boolean;
}
interface GpuLike {
  requestAdapter(): Promise<GpuAdapterLike | null>;
}

/** Activates WebGPU, else WebGL, and says what the adapter is. */
export async function activateBrowserBackend(): Promise<AdapterInfo> {
  const gpu = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
  const adapter = gpu ? await gpu.requestAdapter().catch(() => null) : null;
  if (adapter && (await tf.setBackend('webgpu').catch(() => false))) {
    const info = adapter.info ?? {};
    const architecture = info.architecture ?? '';
    return {
      backend: 'webgpu',
      vendor: info.vendor ?? '',
      architecture,
      description: info.description ?? '',
      // SwiftShader is Chromium's CPU implementation of the GPU APIs.
      software: adapter.isFallbackAdapter === true || /swiftshader/i.test(architecture + (info.description ?? '')),
    };
  }
  if (!(await tf.setBackend('webgl').catch(() => false))) throw new Error('Neither WebGPU nor WebGL is available in the compute window');
  const gl = tf.backend() as unknown as { gpgpu?: { gl?: { getParameter(p: number): unknown } } };
  const renderer = String(gl.gpgpu?.gl?.getParameter(0x1f01) ?? ''); // GL_RENDERER
  return { backend: 'webgl', vendor: '', architecture: '', description: renderer, software: /swiftshader|llvmpipe/i.test(renderer) };
}

/** WebGPU's own "device lost" (driver reset, GPU removed, watchdog): the window reports it once. */
function watchDeviceLoss(onLost: (why: string) => void): void {
  const device = (tf.backend() as unknown as { device?: { lost?: Promise<{ message?: string; reason?: string }> } }).device;
  void device?.lost?.then((info) => onLost(`the GPU device was lost: ${info.message || info.reason || 'no reason given'}`));
}

async function snapshot(gan: Gan): Promise<DeviceSnapshot> {
  const state = [...ganState(gan)];
  const values = await Promise.all(state.map(([, v]) => v.data() as Promise<Float32Array>));
  return {
    tensors: state.map(([name, v], i) => ({ name, shape: v.shape, values: values[i] })),
    adamSteps: { G: gan.optG.step, D: gan.optD.step },
  };
}

/** G in inference mode on all rows at once (grids are small: 64 images). */
async function draw(gan: Gan, z: Float32Array, labels: number[] | null): Promise<Float32Array> {
  const { zDim, numClasses } = gan.config;
  const images = tf.tidy(() =>
    generate(samplingG(gan), tf.tensor2d(z, [z.length / zDim, zDim]), labels && numClasses > 0 ? oneHot(labels, numClasses) : null, {
      training: false,
    }),
  );
  const pixels = (await images.data()) as Float32Array;
  images.dispose();
  return pixels;
}

/**
 * Serves one host: calls run in order (a step never overlaps a snapshot).
 * @param activate sets up tfjs' backend once (tests serve a window in Node on the wasm backend)
 */
export function serveHost(port: HostPort, activate: () => Promise<AdapterInfo> = activateBrowserBackend): void {
  let gan: Gan | null = null;
  const pictures = new PageNetworks();
  let adapter: Promise<AdapterInfo> | null = null;
  let queue = Promise.resolve();
  // Once per window: the backend is set up and watched for loss on the first call that needs it.
  const activated = () =>
    (adapter ??= activate().then((info) => {
      watchDeviceLoss((why) => port.postMessage({ lost: why }));
      return info;
    }));
  const need = (): Gan => {
    if (!gan) throw new Error('The compute window has no networks yet (open first)');
    return gan;
  };
  const answer = async <C extends DeviceCall>(call: C): Promise<DeviceAnswers[C['op']]> => {
    switch (call.op) {
      case 'probe':
        return (await activated()) as DeviceAnswers[C['op']];
      case 'open': {
        const info = await activated();
        if (gan) disposeGan(gan);
        gan = buildGan(call.model, call.hyper);
        if (call.start) {
          const header = { step: 0, adamSteps: call.start.adamSteps } as Checkpoint['header'];
          restoreGan(gan, { header, tensors: new Map(call.start.tensors.map((t) => [t.name, t])) } as Checkpoint);
        }
        return info as DeviceAnswers[C['op']];
      }
      case 'step': {
        const current = need();
        const packed = stepTensors(current.config, call.data, (input) => trainStepPacked(current, input));
        const values = await packed.data();
        packed.dispose();
        return unpackStepMetrics(values) as DeviceAnswers[C['op']];
      }
      case 'generate':
        return (await draw(need(), call.z, call.labels)) as DeviceAnswers[C['op']];
      case 'snapshot':
        return (await snapshot(need())) as DeviceAnswers[C['op']];
      case 'close':
        if (gan) disposeGan(gan);
        gan = null;
        return null as DeviceAnswers[C['op']];
      case 'load':
        await activated();
        pictures.load(call.model, call.tensors);
        return null as DeviceAnswers[C['op']];
      case 'draw':
        return (await pictures.draw(call.z, call.labelRows)) as DeviceAnswers[C['op']];
      case 'forward':
        return (await pictures.forward(call.net, call.input, call.labels, call.capture)) as DeviceAnswers[C['op']];
    }
  };
  port.onMessage(({ id, call }) => {
    queue = queue.then(() =>
      answer(call).then(
        (result) => port.postMessage({ id, result }, transferables(result)),
        (error: unknown) => port.postMessage({ id, error: error instanceof Error ? error.message : String(error) }),
      ),
    );
  });
}

/** The big buffers of an answer move instead of being copied. */
function transferables(result: unknown): ArrayBuffer[] {
  if (result instanceof Float32Array) return [result.buffer as ArrayBuffer];
  const answer = result as Partial<DeviceSnapshot & ForwardAnswer> | null;
  const records = answer?.tensors ?? answer?.acts;
  const buffers = Array.isArray(records) ? records.map((t) => t.values.buffer as ArrayBuffer) : [];
  if (answer?.output instanceof Float32Array) buffers.push(answer.output.buffer as ArrayBuffer);
  // A buffer listed twice (G's last layer is also its output) cannot be transferred twice.
  return [...new Set(buffers)];
}
