/**
 * Which checkpoints an evaluation visits, and G and D loaded at one of them for the duration of a
 * callback. Evaluations load their own networks per checkpoint rather than use the worker's
 * cached inference model: scoring twenty checkpoints must not leave twenty GANs in memory.
 */
import fs from 'node:fs';
import type { ProjectConfig } from '../../shared/types';
import { tf } from '../backend/tf';
import { discriminatorSpec, generatorSpec } from '../models/architecture';
import { createNetwork, disposeNetwork, type Network } from '../models/network';
import { checkpointFile, checkpointSteps, readCheckpoint } from '../project/checkpoints';
import { stepsPerEpoch } from '../project/project';
import { deriveSeed, Rng, Stream } from '../util/rng';

export type StepSelection = 'latest' | 'all' | 'new' | number[];

/**
 * Steps to evaluate. 'latest' is the newest checkpoint (0 = untrained weights when there is
 * none); 'new' is every checkpoint without a row in `done`; explicit steps must exist.
 */
export function selectSteps(dir: string, selection: StepSelection, done: ReadonlySet<number> = new Set()): number[] {
  const steps = checkpointSteps(dir);
  if (selection === 'latest') return [steps.at(-1) ?? 0];
  if (selection === 'all') return steps.length ? steps : [0];
  if (selection === 'new') return steps.filter((s) => !done.has(s));
  for (const s of selection) {
    if (s !== 0 && !steps.includes(s)) throw new Error(`There is no checkpoint at step ${s} (checkpoints: ${steps.join(', ') || 'none'})`);
  }
  return [...new Set(selection)].sort((a, b) => a - b);
}

export const epochOf = (config: ProjectConfig, step: number) => step / stepsPerEpoch(config);

export interface Networks {
  G: Network;
  D: Network;
}

/**
 * G and D (weights and BatchNorm statistics) at `step`; 0 = the project's initial weights.
 * Only the two networks are built — no optimiser state, which evaluation never needs and which
 * is twice the size of the weights.
 */
export function loadNetworks(dir: string, config: ProjectConfig, step: number): Networks {
  if (step > 0 && !fs.existsSync(checkpointFile(dir, step))) {
    throw new Error(`The checkpoint at step ${step} no longer exists (training prunes old checkpoints)`);
  }
  const ckpt = step > 0 ? readCheckpoint(dir, step) : null;
  // The same seeds as buildGan (models/gan.ts), so step 0 is exactly the untrained project.
  const G = createNetwork(generatorSpec(config.model), new Rng(deriveSeed(config.train.seed, Stream.init, 1)), 'G-eval', {
    sampling: config.model.arch?.sampling,
  });
  const D = createNetwork(discriminatorSpec(config.model), new Rng(deriveSeed(config.train.seed, Stream.init, 2)), 'D-eval');
  if (!ckpt) return { G, D };
  try {
    // Checkpoint keys as written by ganState (models/gan.ts): `G/…`, `G.stats/…`, `D/…`, `D.stats/…`.
    const groups: [string, Map<string, tf.Variable>][] = [
      ['G', G.params],
      ['G.stats', G.stats],
      ['D', D.params],
      ['D.stats', D.stats],
    ];
    tf.tidy(() => {
      for (const [prefix, vars] of groups) {
        for (const [key, v] of vars) {
          const rec = ckpt.tensors.get(`${prefix}/${key}`);
          if (!rec || rec.shape.join('x') !== v.shape.join('x')) {
            throw new Error(`Checkpoint at step ${step} does not match the project's architecture (${prefix}/${key})`);
          }
          v.assign(tf.tensor(rec.values, rec.shape));
        }
      }
    });
  } catch (err) {
    disposeNetwork(G);
    disposeNetwork(D);
    throw err;
  }
  return { G, D };
}

/** Runs `fn` with G and D at `step`, disposing them afterwards. */
export async function withNetworksAt<T>(dir: string, config: ProjectConfig, step: number, fn: (nets: Networks) => Promise<T>): Promise<T> {
  const nets = loadNetworks(dir, config, step);
  try {
    return await fn(nets);
  } finally {
    disposeNetwork(nets.G);
    disposeNetwork(nets.D);
  }
}
