/**
 * Scale domains and ticks the charts share: d3 computes, the chart layers only draw. Pure
 * functions of the data, so they are unit-tested without a page.
 */
import { extent, scaleLinear, scaleLog, type ScaleContinuousNumeric } from 'd3';

export type Scale = ScaleContinuousNumeric<number, number>;
export type Range = [number, number];

/**
 * A linear scale over `values` with `pad` of the span added each side (a flat series gets a
 * unit-wide span). `floorAtZero` keeps quantities that cannot be negative off negative ticks.
 */
export function paddedLinear(values: number[], range: Range, { pad = 0.06, flat = 0.5, floorAtZero = false, nice = true } = {}): Scale {
  let [lo = 0, hi = 1] = extent(values.filter(Number.isFinite));
  if (hi - lo < 1e-9) [lo, hi] = [lo - flat, hi + flat];
  const margin = (hi - lo) * pad;
  const scale = scaleLinear()
    .domain([floorAtZero ? Math.max(0, lo - margin) : lo - margin, hi + margin])
    .range(range);
  return nice ? scale.nice() : scale;
}

/** A log scale over the positive `values`, spanning at least a decade so its ticks read well. */
export function spanningLog(values: number[], range: Range): Scale {
  const [lo = 1, hi = 10] = extent(values.filter((v) => Number.isFinite(v) && v > 0));
  return scaleLog()
    .domain([lo / 1.5, Math.max(hi * 1.5, lo * 10)])
    .range(range)
    .nice();
}

/** A log x scale around a few sizes (N = 100, 1000…): a single value sits mid-axis. */
export function centredLog(values: number[], range: Range): Scale {
  let [lo = 1, hi = 1] = extent(values);
  lo = Math.max(lo, 1);
  hi = Math.max(hi, lo);
  const pad = hi > lo ? 1.25 : 3;
  return scaleLog()
    .domain([lo / pad, hi * pad])
    .range(range);
}

/** The 1, 2 and 5 of each decade among a log scale's ticks (d3 offers 1…9). */
export function ticks125(ticks: number[]): number[] {
  return ticks.filter((t) => [1, 2, 5].includes(Math.round(t / 10 ** Math.floor(Math.log10(t) + 1e-9))));
}

/** One tick per decade of [lo, hi], plus the data's own values (100, 1000, 5000…), sorted. */
export function decadeTicks([lo, hi]: number[], values: number[] = []): number[] {
  const decades: number[] = [];
  for (let d = 10 ** Math.ceil(Math.log10(lo)); d <= hi; d *= 10) decades.push(d);
  return [...new Set([...decades, ...values])].sort((a, b) => a - b);
}

/** About one tick per `spacing` pixels, at least two. */
export const tickCount = (pixels: number, spacing: number) => Math.max(2, Math.floor(pixels / spacing));

/**
 * A log y scale for losses: clamped, so a value at or below the floor sits on the axis rather
 * than off the plot, and at least a little taller than the data.
 */
export function clampedLog(values: number[], range: Range): Scale {
  const [lo = 0, hi = 1] = extent(values.filter((v) => Number.isFinite(v) && v > 0));
  return scaleLog()
    .domain([Math.max(lo, 1e-4), Math.max(hi, lo * 1.1, 1e-3)])
    .range(range)
    .nice()
    .clamp(true);
}
