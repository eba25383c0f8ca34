/**
 * Training runs: metric rows and the live status of a run.
 * Plain data: nothing here may import Node, Electron or tfjs (the renderer bundles it).
 */
import type { BackendName, BackendReport } from './backend';

/**
 * How long a run trains. `untilStep` and `moreSteps` are the two meanings of "steps", named
 * apart; `epochs` counts more epochs. None: until stopped.
 */
export interface TrainTarget {
  untilStep?: number;
  moreSteps?: number;
  epochs?: number;
}

export interface MetricRow {
  step: number;
  epoch: number;
  dLoss: number;
  gLoss: number;
  /** Mean D(x) on the real batch. */
  dReal: number;
  /** Mean D(G(z)) on the fake batch. */
  dFake: number;
  imagesPerSec: number;
  backend: BackendName;
  time: number;
}

export type TrainingState = 'idle' | 'starting' | 'running' | 'paused' | 'stopping' | 'finished' | 'error';

export interface TrainingStatus {
  dir: string;
  state: TrainingState;
  step: number;
  epoch: number;
  targetStep: number;
  backend?: BackendReport;
  /** Data-parallel training workers of the run (absent: one). */
  workers?: number;
  imagesPerSec: number;
  etaSeconds: number | null;
  message?: string;
}
