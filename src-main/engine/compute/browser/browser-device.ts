/**
 * A compute host's view of the compute window: DeviceClient sends calls and matches answers (the
 * engine relays them to the window, see host.ts); BrowserDevice is the TrainingDevice a run uses.
 */
import type { BackendReport, ModelConfig, TrainHyper } from '../../../shared/types';
import type { Checkpoint } from '../../project/checkpoints';
import { DeviceLostError, type DeviceSnapshot, type StepData, type TrainingDevice } from '../../train/device/device';
import type { StepMetrics } from '../../train/step';
import type { AdapterInfo, DeviceAnswers, DeviceCall, DeviceReply, DeviceRequest } from './device-protocol';

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** Calls into the compute window, one id each; a lost window fails every pending call with DeviceLostError. */
export class DeviceClient {
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private lostListeners: ((why: string) => void)[] = [];

  constructor(private readonly send: (request: DeviceRequest) => void) {}

  call<C extends DeviceCall>(call: C): Promise<DeviceAnswers[C['op']]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.send({ id, call });
    });
  }

  /** An answer, an error, or the window's "lost" from the engine's relay. */
  receive(reply: DeviceReply): void {
    if ('lost' in reply) {
      const error = new DeviceLostError(reply.lost);
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
      for (const listener of this.lostListeners.splice(0)) listener(reply.lost);
      return;
    }
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    if ('error' in reply) p.reject(new Error(reply.error));
    else p.resolve(reply.result);
  }

  /** Resolves when the window that serves the calls made from now on is lost. */
  nextLoss(): Promise<string> {
    return new Promise((resolve) => this.lostListeners.push(resolve));
  }
}

/** The backend report of a run in the compute window: why the faster choices were skipped, then this one. */
export function browserReport(info: AdapterInfo, requested: BackendReport['requested'], skipped: BackendReport['attempts']): BackendReport {
  const where = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ');
  return {
    active: 'webgpu',
    requested,
    attempts: [
      ...skipped,
      {
        name: 'webgpu',
        ok: true,
        detail: `${info.backend === 'webgpu' ? 'WebGPU' : 'WebGL (no WebGPU adapter)'}${where ? `: ${where}` : ''}`,
      },
    ],
  };
}

export class BrowserDevice implements TrainingDevice {
  readonly lost: Promise<string>;
  private gone = false;

  private constructor(
    private readonly client: DeviceClient,
    readonly backend: BackendReport,
    readonly info: AdapterInfo,
  ) {
    this.lost = client.nextLoss();
    void this.lost.then(() => (this.gone = true));
  }

  /** Builds the networks in the window from the project's config and `start` (null: the seed's step 0). */
  static async open(
    client: DeviceClient,
    model: ModelConfig,
    hyper: TrainHyper,
    start: Checkpoint | null,
    report: (info: AdapterInfo) => BackendReport,
  ): Promise<BrowserDevice> {
    const tensors = start ? [...start.tensors.values()] : [];
    const info = await client.call({ op: 'open', model, hyper, start: start && { tensors, adamSteps: start.header.adamSteps } });
    return new BrowserDevice(client, report(info), info);
  }

  step(data: StepData): Promise<StepMetrics> {
    return this.client.call({ op: 'step', data });
  }

  generate(z: Float32Array, labels: number[] | null): Promise<Float32Array> {
    return this.client.call({ op: 'generate', z, labels });
  }

  snapshot(): Promise<DeviceSnapshot> {
    return this.client.call({ op: 'snapshot' });
  }

  dispose(): void {
    // The window keeps running for the next run; its networks go. A lost window has none left
    // (and a call now would open a new one).
    if (!this.gone) this.client.call({ op: 'close' }).catch(() => undefined);
  }
}
