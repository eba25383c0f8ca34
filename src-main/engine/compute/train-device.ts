/**
 * Which device a training run (and, in the app, the pictures: compute-worker.ts) uses. 'auto' prefers, in order: TensorFlow on an NVIDIA GPU (this
 * process), WebGPU in the app's compute window (a hardware adapter only: SwiftShader is slower
 * than the CPU backends), then this process's TensorFlow, wasm or cpu. Every skip is reported
 * with its reason; a named choice runs there or fails saying why.
 */
import type { BackendAttempt, BackendChoice, BackendReport } from '../../shared/types';
import type { WindowState } from './browser/windows';
import type { Project } from '../project/project';
import { cpuDeviceOpener } from '../train/device/open-device';
import { Trainer } from '../train/trainer';
import { BrowserDevice, browserReport, type DeviceClient } from './browser/browser-device';
import type { TrainRequest } from './protocol';

export interface TrainerHostParts {
  /** The host's calls to its compute window. */
  window: DeviceClient;
  /** Activates a backend of this process's tfjs (throws with the reason when a named one fails). */
  useBackend(choice?: BackendChoice): Promise<BackendReport>;
  /** Closes the window a probe opened when it will not be used (an idle renderer process costs memory). */
  releaseWindow(): void;
}

/** Why the compute window cannot be tried now, or null. */
function windowUnavailable(choice: BackendChoice, window: WindowState | undefined): string | null {
  if (!window) return 'this engine has no compute window (the CLI and `ganvas serve` train on the Node backends)';
  if (choice !== 'webgpu' && window.lostEarlier) {
    return `the compute window was lost earlier in this session (${window.lostEarlier}); choose WebGPU to try it again`;
  }
  return null;
}

/** `report` with the compute window's attempt in its place in the order (after tensorflow-gpu). */
export function withWindowAttempt(report: BackendReport, attempt: BackendAttempt): BackendReport {
  const others = report.attempts.filter((a) => a.name !== 'webgpu');
  const at = others[0]?.name === 'tensorflow-gpu' ? 1 : 0;
  return { ...report, attempts: [...others.slice(0, at), attempt, ...others.slice(at)] };
}

/** Where work runs: this process's backend, or the compute window (with its report either way). */
export type DevicePlace = { kind: 'node'; report: BackendReport } | { kind: 'window'; report: BackendReport };

/** Applies the order above to `choice`; a named backend that cannot be had throws with the reason. */
export async function chooseDevice(choice: BackendChoice, window: WindowState | undefined, parts: TrainerHostParts): Promise<DevicePlace> {
  if (choice !== 'auto' && choice !== 'webgpu') return { kind: 'node', report: await parts.useBackend(choice) };
  // This process's best backend: it is used when it is an NVIDIA GPU, else it scores a run's health.
  const node = await parts.useBackend('auto');
  if (choice === 'auto' && node.active === 'tensorflow-gpu') return { kind: 'node', report: node };
  const skipped = node.attempts.filter((attempt) => attempt.name === 'tensorflow-gpu');
  let why = windowUnavailable(choice, window);
  if (why === null) {
    try {
      const adapter = await parts.window.call({ op: 'probe' });
      if (choice === 'webgpu' || !adapter.software) return { kind: 'window', report: browserReport(adapter, choice, skipped) };
      why = `only a software adapter (${adapter.architecture || adapter.description || 'no GPU'}): slower than the CPU backends`;
    } catch (error) {
      why = (error as Error).message;
    }
    parts.releaseWindow();
  }
  if (choice === 'webgpu') throw new Error(`Backend 'webgpu' is unavailable: ${why}`);
  return { kind: 'node', report: withWindowAttempt(node, { name: 'webgpu', ok: false, reason: why }) };
}

export async function openTrainer(project: Project, request: TrainRequest, parts: TrainerHostParts): Promise<Trainer> {
  const place = await chooseDevice(request.backend ?? 'auto', request.window, parts);
  // A Node backend: this process, or K worker threads on wasm/cpu (the `workers` setting).
  if (place.kind === 'node') return Trainer.openOn(project, cpuDeviceOpener(project, place.report, request.workers));
  const { model, train } = project.config;
  return Trainer.openOn(project, (start) => BrowserDevice.open(parts.window, model, train, start, () => place.report));
}
