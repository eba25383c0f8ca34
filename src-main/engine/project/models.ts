/**
 * Loading a project's networks from a checkpoint: the one place that does it. Interactive
 * features (sampling, walks, inspection) share a cached copy per project and step; evaluations
 * that visit many checkpoints borrow an uncached copy for the length of a callback, so scoring
 * twenty checkpoints never leaves twenty GANs in memory.
 */
import { damaged } from '../../shared/errors';
import { tf } from '../backend/tf';
import { buildNetworks, disposeNetworks, type Networks } from '../models/gan';
import type { ProjectConfig } from '../../shared/types';
import { EMA_PREFIX, EMA_STATS_PREFIX } from '../train/ema';
import type { Checkpoint } from './checkpoints';
import { hasAverage } from './gan-state';

/** G and D at a checkpoint; step 0 = the project's seeded initial weights. */
export interface GanAt extends Networks {
  step: number;
}

/**
 * Checkpoint keys as written by ganState (models/gan.ts): `G/…`, `G.stats/…`, `D/…`, `D.stats/…`.
 * G is loaded from the moving average (`G.ema/…`, `G.ema.stats/…`, train/ema.ts) where the run kept one:
 * every sample, walk and evaluation then draws from the averaged G.
 */
function restoreNetworks(nets: Networks, ckpt: Checkpoint, step: number): void {
  const [gWeights, gStats] = hasAverage(ckpt) ? [EMA_PREFIX, EMA_STATS_PREFIX] : ['G', 'G.stats'];
  const groups = [
    [gWeights, nets.G.params],
    [gStats, nets.G.stats],
    ['D', nets.D.params],
    ['D.stats', nets.D.stats],
  ] as const;
  for (const [prefix, vars] of groups) {
    for (const [key, v] of vars) {
      const rec = ckpt.tensors.get(`${prefix}/${key}`);
      if (!rec || rec.shape.join('x') !== v.shape.join('x')) {
        throw damaged(`Checkpoint at step ${step} does not match the project's architecture (${prefix}/${key})`);
      }
    }
  }
  tf.tidy(() => {
    for (const [prefix, vars] of groups)
      for (const [key, v] of vars) v.assign(tf.tensor(ckpt.tensors.get(`${prefix}/${key}`)!.values, v.shape));
  });
}

/** Builds G and D and loads the checkpoint of `step` into them (uncached; the caller disposes). */
export function loadNetworks(config: ProjectConfig, step: number, ckpt: Checkpoint | null, prefix = ''): GanAt {
  const nets = buildNetworks(config.model, config.train.seed, prefix);
  if (ckpt) {
    try {
      restoreNetworks(nets, ckpt, step);
    } catch (err) {
      disposeNetworks(nets);
      throw err;
    }
  }
  return { ...nets, step };
}

interface CacheEntry {
  key: string;
  model: GanAt;
}
/** One cached model per project folder: the newest one asked for. */
const cache = new Map<string, CacheEntry>();

/** The networks of the project in `dir` under `key` (its step), loaded by `load` unless cached. */
export function cachedNetworks(dir: string, key: string, load: () => GanAt): GanAt {
  const hit = cache.get(dir);
  if (hit?.key === key) return hit.model;
  const model = load();
  if (hit) disposeNetworks(hit.model);
  cache.set(dir, { key, model });
  return model;
}

/** The cached networks of `dir` when they are the ones under `key`; null otherwise. */
export function peekNetworks(dir: string, key: string): GanAt | null {
  const hit = cache.get(dir);
  return hit?.key === key ? hit.model : null;
}

/** Frees every cached model (tests; a worker about to exit). */
export function clearModelCache(): void {
  for (const { model } of cache.values()) disposeNetworks(model);
  cache.clear();
}
