/**
 * Inference state inside a compute worker: one GAN per project, loaded from its newest
 * checkpoint and reloaded when a newer one appears. Feature tasks (sampling, walks, features,
 * evaluation) all go through `loadInferenceGan`, so a project is read from disk once.
 */
import path from 'node:path';
import type { ProjectConfig } from '../../shared/types';
import { buildGan, disposeGan, type Gan } from '../models/gan';
import { checkpointSteps, readCheckpoint } from '../project/checkpoints';
import { loadProjectConfig } from '../project/project';
import { restoreGan } from '../train/state';

export interface InferenceModel {
  dir: string;
  config: ProjectConfig;
  /** Checkpoint step the weights come from; 0 = untrained initial weights. */
  step: number;
  gan: Gan;
}

const models = new Map<string, InferenceModel>();

/** The project's GAN at its newest checkpoint (or at `step` when given). */
export function loadInferenceGan(dirArg: string, step?: number): InferenceModel {
  const dir = path.resolve(dirArg);
  const config = loadProjectConfig(dir);
  const want = step ?? checkpointSteps(dir).at(-1) ?? 0;
  const key = `${dir}@${step === undefined ? 'latest' : step}`;
  const cached = models.get(key);
  if (cached && cached.step === want) return cached;
  if (cached) disposeGan(cached.gan);
  const gan = buildGan(config.model, config.train);
  if (want > 0) restoreGan(gan, readCheckpoint(dir, want));
  const entry = { dir, config, step: want, gan };
  models.set(key, entry);
  return entry;
}
