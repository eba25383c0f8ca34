/**
 * A GAN = G, D and one Adam per network. Creation is deterministic for a seed, so the same
 * project config gives the same initial weights on every backend.
 */
import type { ModelConfig, TrainHyper } from '../../shared/types';
import { tf } from '../backend/tf';
import { Adam } from '../train/adam';
import { createAverage, EMA_PREFIX, EMA_STATS_PREFIX } from '../train/ema';
import { deriveSeed, Rng, Stream } from '../util/rng';
import { discriminatorSpec, generatorSpec } from './architecture';
import { createNetwork, disposeNetwork, type Network } from './network';

/** G and D: all that sampling, walks, inspection and evaluation need. */
export interface Networks {
  G: Network;
  D: Network;
}

/** Both networks with their optimisers: what training needs. */
export interface Gan extends Networks {
  config: ModelConfig;
  optG: Adam;
  optD: Adam;
  /** The moving average of G's weights (train/ema.ts) and its decay, when the project trains one (`emaDecay`). */
  ema?: { G: Network; decay: number };
}

/** G and D at their seeded initial weights (step 0 of a project with this config and seed). */
export function buildNetworks(config: ModelConfig, seed: number, prefix = ''): Networks {
  // How G samples (running or batch BatchNorm statistics) is part of the model (imports remember it).
  const G = createNetwork(generatorSpec(config), new Rng(deriveSeed(seed, Stream.init, 1)), `${prefix}G`, {
    sampling: config.arch?.sampling,
  });
  const D = createNetwork(discriminatorSpec(config), new Rng(deriveSeed(seed, Stream.init, 2)), `${prefix}D`);
  return { G, D };
}

export function disposeNetworks(nets: Networks): void {
  disposeNetwork(nets.G);
  disposeNetwork(nets.D);
}

/** The training settings a GAN is built from. */
export type GanHyper = Pick<TrainHyper, 'learningRate' | 'beta1' | 'beta2' | 'seed' | 'emaDecay'>;

export function buildGan(config: ModelConfig, hyper: GanHyper): Gan {
  const { G, D } = buildNetworks(config, hyper.seed);
  const adam = { learningRate: hyper.learningRate, beta1: hyper.beta1, beta2: hyper.beta2 };
  // A config each: tuning one network's optimiser (e.g. a faster D) must not move the other's.
  const gan: Gan = { config, G, D, optG: new Adam({ ...adam }, G.params), optD: new Adam({ ...adam }, D.params) };
  if (hyper.emaDecay) gan.ema = { G: createAverage(G), decay: hyper.emaDecay };
  return gan;
}

/** The G that samples: the moving average where the run keeps one, else G itself. */
export const samplingG = (gan: Gan): Network => gan.ema?.G ?? gan.G;

export function disposeGan(gan: Gan): void {
  disposeNetworks(gan);
  if (gan.ema) disposeNetwork(gan.ema.G);
  gan.optG.dispose();
  gan.optD.dispose();
}

/** Variables by checkpoint key: `${prefix}/${name}` for each group. */
function byKey(groups: [string, Map<string, tf.Variable>][]): Map<string, tf.Variable> {
  const out = new Map<string, tf.Variable>();
  for (const [prefix, vars] of groups) for (const [k, v] of vars) out.set(`${prefix}/${k}`, v);
  return out;
}

/** The networks' weights and BatchNorm statistics by checkpoint key (`G/…`, `G.stats/…`, `D/…`, `D.stats/…`). */
export function networkState(nets: Networks): Map<string, tf.Variable> {
  return byKey([
    ['G', nets.G.params],
    ['G.stats', nets.G.stats],
    ['D', nets.D.params],
    ['D.stats', nets.D.stats],
  ]);
}

/** Every tensor that defines the training state, by stable name (checkpoint keys). */
export function ganState(gan: Gan): Map<string, tf.Variable> {
  return new Map([
    ...networkState(gan),
    ...byKey([
      ['optG.m', gan.optG.m],
      ['optG.v', gan.optG.v],
      ['optD.m', gan.optD.m],
      ['optD.v', gan.optD.v],
      ...(gan.ema
        ? ([
            [EMA_PREFIX, gan.ema.G.params],
            [EMA_STATS_PREFIX, gan.ema.G.stats],
          ] as [string, Map<string, tf.Variable>][])
        : []),
    ]),
  ]);
}
