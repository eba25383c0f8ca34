/**
 * Which device a training run uses. 'auto' prefers, in order: TensorFlow on an NVIDIA GPU (this
 * process), WebGPU in the app's compute window (a hardware adapter only: SwiftShader is slower
 * than the CPU backends), then this process's TensorFlow, wasm or cpu. Every skip is reported
 * with its reason; a named choice runs there or fails saying why.
 */
import type { BackendAttempt, BackendChoice, BackendReport } from '../../shared/types';
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
}

/** Why the compute window cannot be tried now, or null. */
function windowUnavailable(request: TrainRequest): string | null {
  if (!request.window) return 'this engine has no compute window (the CLI and `ganvas serve` train on the Node backends)';
  if (request.backend !== 'webgpu' && request.window.lostEarlier) {
    return `the compute window was lost earlier in this session (${request.window.lostEarlier}); choose WebGPU to try it again`;
  }
  return null;
}

/** `report` with the compute window's attempt in its place in the order (after tensorflow-gpu). */
function withWindowAttempt(report: BackendReport, attempt: BackendAttempt): BackendReport {
  const at = report.attempts[0]?.name === 'tensorflow-gpu' ? 1 : 0;
  return { ...report, attempts: [...report.attempts.slice(0, at), attempt, ...report.attempts.slice(at)] };
}

async function openOnWindow(project: Project, request: TrainRequest, parts: TrainerHostParts, skipped: BackendAttempt[]): Promise<Trainer> {
  const requested = request.backend ?? 'auto';
  const { model, train } = project.config;
  return Trainer.openOn(project, (start) =>
    BrowserDevice.open(parts.window, model, train, start, (info) => browserReport(info, requested, skipped)),
  );
}

export async function openTrainer(project: Project, request: TrainRequest, parts: TrainerHostParts): Promise<Trainer> {
  const choice = request.backend ?? 'auto';
  // A Node backend: this process, or K worker threads on wasm/cpu (the `workers` setting).
  const onNode = (report: BackendReport) => Trainer.openOn(project, cpuDeviceOpener(project, report, request.workers));
  if (choice !== 'auto' && choice !== 'webgpu') return onNode(await parts.useBackend(choice));
  // This process's best backend: it trains when it is an NVIDIA GPU, else it scores the run's health.
  const node = await parts.useBackend('auto');
  if (choice === 'auto' && node.active === 'tensorflow-gpu') return onNode(node);
  const skipped = node.attempts.filter((attempt) => attempt.name === 'tensorflow-gpu');
  let why = windowUnavailable(request);
  if (why === null) {
    try {
      const adapter = await parts.window.call({ op: 'probe' });
      if (choice === 'webgpu' || !adapter.software) return await openOnWindow(project, request, parts, skipped);
      why = `only a software adapter (${adapter.architecture || adapter.description || 'no GPU'}): slower than the CPU backends`;
    } catch (error) {
      why = (error as Error).message;
    }
  }
  if (choice === 'webgpu') throw new Error(`Backend 'webgpu' is unavailable: ${why}`);
  return onNode(withWindowAttempt(node, { name: 'webgpu', ok: false, reason: why }));
}
