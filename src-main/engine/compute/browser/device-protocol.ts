/**
 * Messages between a compute host and the browser compute window (WebGPU, else WebGL). The
 * window holds G, D and both Adams; the host owns the run and sends plain arrays: a step's batch,
 * z rows to draw, a request for the state to checkpoint, a checkpoint's networks to draw pictures with. Pure types: both sides import them.
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
  | { op: 'close' }
  /** Networks for pictures, apart from a run's: G and D with their BatchNorm statistics (checkpoint keys). */
  | { op: 'load'; model: ModelConfig; tensors: TensorRecord[] }
  /** The loaded G in inference mode on z rows and label rows (one-hot or soft). */
  | { op: 'draw'; z: Float32Array; labelRows: Float32Array | null }
  /** The loaded G (input: z rows) or D (input: images) in inference mode, keeping the `capture` layers. */
  | { op: 'forward'; net: 'G' | 'D'; input: Float32Array; labels: number[] | null; capture: string[] };

/** A forward pass's output (G: images, D: logits) and its captured layers (name, [n, h, w, c], values). */
export interface ForwardAnswer {
  output: Float32Array;
  acts: TensorRecord[];
}

export interface DeviceAnswers {
  probe: AdapterInfo;
  open: AdapterInfo;
  step: StepMetrics;
  generate: Float32Array;
  snapshot: DeviceSnapshot;
  close: null;
  load: null;
  draw: Float32Array;
  forward: ForwardAnswer;
}

/** Host → window. */
export interface DeviceRequest {
  id: number;
  call: DeviceCall;
}

/** Window → host: an answer, an error, or (unasked) the device is gone. */
export type DeviceReply = { id: number; result: unknown } | { id: number; error: string } | { lost: string };
