/**
 * Messages between a compute host and the browser compute window (WebGPU, else WebGL). The
 * window holds G, D and both Adams; the host owns the run and sends plain arrays: a step's batch,
 * z rows to draw, a request for the state to checkpoint. Pure types: both sides import them.
 */
import type { ModelConfig, TrainHyper } from '../../../shared/types';
import type { TensorRecord } from '../../project/checkpoints';
import type { DeviceSnapshot, StepData } from '../../train/device/device';
import type { StepMetrics } from '../../train/step';

/** What the window's GPU is, as WebGPU's adapter describes it. */
export interface AdapterInfo {
  /** The tfjs backend the window runs: WebGPU, or WebGL when WebGPU has no adapter. */
  backend: 'webgpu' | 'webgl';
  vendor: string;
  architecture: string;
  description: string;
  /** A software adapter (SwiftShader, WARP): correct but slower than the CPU backends. */
  software: boolean;
}

export type DeviceCall =
  /** Activates WebGPU (else WebGL) and describes the adapter; builds nothing. */
  | { op: 'probe' }
  /** Builds the networks at the project seed's initial weights, then loads `start` if given. */
  | { op: 'open'; model: ModelConfig; hyper: TrainHyper; start: { tensors: TensorRecord[]; adamSteps: { G: number; D: number } } | null }
  | { op: 'step'; data: StepData }
  | { op: 'generate'; z: Float32Array; labels: number[] | null }
  | { op: 'snapshot' }
  | { op: 'close' };

export interface DeviceAnswers {
  probe: AdapterInfo;
  open: AdapterInfo;
  step: StepMetrics;
  generate: Float32Array;
  snapshot: DeviceSnapshot;
  close: null;
}

/** Host → window. */
export interface DeviceRequest {
  id: number;
  call: DeviceCall;
}

/** Window → host: an answer, an error, or (unasked) the device is gone. */
export type DeviceReply = { id: number; result: unknown } | { id: number; error: string } | { lost: string };
