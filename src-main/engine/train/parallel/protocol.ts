/** Messages between a ParallelDevice (the compute process's main thread) and its worker threads. */
import type { BackendName, ModelConfig, TrainHyper } from '../../../shared/types';
import type { Checkpoint } from '../../project/checkpoints';
import type { DeviceSnapshot } from '../device/device';
import type { StepMetrics } from '../step';
import type { ExchangeBuffers } from './exchange';
import type { SliceData } from './replica';

/** Given to the worker at start (workerData): enough to build the same replica in every thread. */
export interface ReplicaSetup {
  replica: number;
  backend: Extract<BackendName, 'wasm' | 'cpu'>;
  model: ModelConfig;
  hyper: Pick<TrainHyper, 'learningRate' | 'beta1' | 'beta2' | 'seed' | 'emaDecay'>;
  /** The checkpoint to start from, or null for the seeded initial weights. */
  start: Checkpoint | null;
}

export type ReplicaRequest =
  | { kind: 'attach'; buffers: ExchangeBuffers; weights: number[] }
  | { kind: 'step'; slice: SliceData }
  | { kind: 'checksum' }
  | { kind: 'snapshot' }
  | { kind: 'generate'; z: Float32Array; labels: number[] | null }
  | { kind: 'memory' };

export interface ReplicaReplies {
  attach: null;
  step: StepMetrics;
  checksum: string;
  snapshot: DeviceSnapshot;
  generate: Float32Array;
  /** tf.memory().numTensors in the worker (leak checks). */
  memory: number;
}

/** The first message of a worker: ready, with the exchange sizes its networks need (or why it failed). */
export type ReplicaHello = { ready: { dLength: number; gLength: number } } | { failed: string };

export type ReplicaReply = { id: number; result: unknown } | { id: number; error: string };
