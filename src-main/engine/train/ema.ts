/**
 * An exponential moving average of G's weights, the copy every sample is drawn from (the `emaDecay`
 * training setting). GAN training does not converge to a point: G's weights keep circling around
 * one while G and D chase each other, so the samples of the last step carry that step's detour.
 * Averaging the iterates cancels much of it (Yazıcı et al. 2019, "The Unusual Effectiveness of
 * Averaging in GAN Training"; ProGAN, StyleGAN and BigGAN sample from such an average too).
 *
 * After every G update:  ema ← d·ema + (1 − d)·G,  with d = min(decay, (1 + t) / (10 + t)) at G's
 * t-th update: a warm-up, so the first steps' random weights are forgotten within tens of steps
 * instead of thousands (the average starts at G's initial weights).
 *
 * BatchNorm: the averaged copy keeps moving statistics of its own, averaged the same way as the
 * weights (not G's live ones). G's statistics are estimates for G's current weights; an average of
 * weights paired with the newest weights' statistics mismatches them, an average of statistics
 * matches the averaged weights as well as the raw statistics match raw G (measured: docs/training-speed.md#the-demo).
 * Recomputing them from the averaged G's own activations would be exact but needs extra forward
 * passes each time a sample is drawn.
 *
 * Pure tfjs and deterministic: replicas of a data-parallel run that hold identical G keep identical
 * averages, and the WebGPU compute window runs the same code.
 */
import { tf } from '../backend/tf';
import type { Network } from '../models/network';

/** Checkpoint name prefixes of the averaged copy: `G.ema/<param>` and `G.ema.stats/<stat>`. */
export const EMA_PREFIX = 'G.ema';
export const EMA_STATS_PREFIX = 'G.ema.stats';

/** The decay applied at G's `t`-th update (1-based): the warm-up ramp, capped at `decay`. */
export function emaDecayAt(decay: number, t: number): number {
  return Math.min(decay, (1 + t) / (10 + t));
}

/** A copy of `G` (same spec, its own variables) to hold the average; starts at G's weights. */
export function createAverage(G: Network): Network {
  const copy = (m: Map<string, tf.Variable>) => new Map([...m].map(([k, v]) => [k, tf.tidy(() => tf.variable(v, false))]));
  return { spec: G.spec, params: copy(G.params), stats: copy(G.stats), sampling: G.sampling };
}

/** Sets the average to G's current weights and statistics (a run that turns averaging on mid-way). */
export function resetAverage(average: Network, G: Network): void {
  tf.tidy(() => {
    for (const [k, v] of average.params) v.assign(G.params.get(k)!);
    for (const [k, v] of average.stats) v.assign(G.stats.get(k)!);
  });
}

/** One averaging step after G's `t`-th update (1-based). Leaves no tensors behind. */
export function updateAverage(average: Network, G: Network, decay: number, t: number): void {
  const d = emaDecayAt(decay, t);
  tf.tidy(() => {
    for (const [from, to] of [
      [G.params, average.params],
      [G.stats, average.stats],
    ] as const) {
      for (const [k, v] of to) v.assign(tf.add(tf.mul(v, d), tf.mul(from.get(k)!, 1 - d)));
    }
  });
}
