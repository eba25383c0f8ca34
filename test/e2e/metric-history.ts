import type { MetricRow } from '../../src-main/shared/types';

/** A long run's history: `rows` logged rows (every 5 steps), noisy like real losses. */
export function longHistory(rows: number): MetricRow[] {
  return Array.from({ length: rows }, (_, i) => {
    const step = (i + 1) * 5;
    const wobble = Math.sin(i / 40) * 0.15 + Math.sin(i * 12.9898) * 0.08;
    return {
      step,
      epoch: step / 4375,
      dLoss: 1.2 - 0.4 * Math.tanh(i / 4000) + wobble,
      gLoss: 0.8 + 1.2 * Math.tanh(i / 4000) - wobble,
      dReal: 0.7 + 0.1 * Math.tanh(i / 3000) + wobble / 4,
      dFake: 0.35 - 0.1 * Math.tanh(i / 3000) - wobble / 4,
      imagesPerSec: 300,
      backend: 'wasm',
      time: 1_700_000_000_000 + i * 1000,
    };
  });
}
