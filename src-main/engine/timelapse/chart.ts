/**
 * The loss panel of a timelapse frame as SVG (rendered by sharp/librsvg, text through
 * fontconfig): D and G loss up to the frame's step, raw (thin, faint) and smoothed (thick),
 * on axes fixed for the whole run so the curves grow instead of the axes jumping.
 * Pure string building: testable without rendering.
 */
import type { MetricRow } from '../../shared/types';

export interface ChartScale {
  maxStep: number;
  lo: number;
  hi: number;
}

export interface ChartStyle {
  width: number;
  height: number;
  /** Exponential moving average weight of the previous value (0 = raw). */
  smoothing: number;
  title: string;
}

const COLOURS = { d: '#5b86f0', g: '#f0a35b', axis: '#8a94a6', text: '#e6e9ef', background: '#10151d' };
const FONT = 'DejaVu Sans, Verdana, Arial, sans-serif';
const M = { left: 44, right: 12, top: 48, bottom: 28 };

/** Axes that fit every row of the run (a 2% margin keeps the extremes off the frame). */
export function chartScale(rows: MetricRow[]): ChartScale {
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of rows)
    for (const v of [r.dLoss, r.gLoss])
      if (Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
  if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
  if (hi - lo < 1e-6) [lo, hi] = [lo - 0.5, hi + 0.5];
  const pad = 0.02 * (hi - lo);
  return { maxStep: Math.max(1, rows.at(-1)?.step ?? 1), lo: Math.max(0, lo - pad), hi: hi + pad };
}

/** EMA of a series, as TensorBoard smooths (debiased so the first value is not pulled to 0). */
export function smooth(values: number[], weight: number): number[] {
  let ema = 0;
  return values.map((v, i) => {
    ema = weight * ema + (1 - weight) * v;
    return weight > 0 ? ema / (1 - weight ** (i + 1)) : v;
  });
}

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
const fmt = (v: number) => (Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2));

/** The panel at `step`: rows with row.step <= step are drawn. */
export function chartSvg(rows: MetricRow[], step: number, scale: ChartScale, style: ChartStyle, epoch?: number): string {
  const { width: w, height: h } = style;
  const plotW = w - M.left - M.right;
  const plotH = h - M.top - M.bottom;
  const x = (s: number) => M.left + (plotW * s) / scale.maxStep;
  const y = (v: number) => M.top + plotH * (1 - (v - scale.lo) / (scale.hi - scale.lo));
  const shown = rows.filter((r) => r.step <= step);
  const line = (values: number[], colour: string, widthPx: number, opacity: number) =>
    values.length < 2
      ? ''
      : `<polyline fill="none" stroke="${colour}" stroke-width="${widthPx}" stroke-opacity="${opacity}" stroke-linejoin="round" points="${values
          .map((v, i) => `${x(shown[i].step).toFixed(1)},${y(Math.min(scale.hi, Math.max(scale.lo, v))).toFixed(1)}`)
          .join(' ')}"/>`;
  const series = (key: 'dLoss' | 'gLoss', colour: string) => {
    const raw = shown.map((r) => r[key]);
    return line(raw, colour, 1, 0.35) + line(smooth(raw, style.smoothing), colour, 2.2, 1);
  };
  const last = shown.at(-1);
  const text = (tx: number, ty: number, s: string, size: number, colour = COLOURS.text, anchor = 'start') =>
    `<text x="${tx}" y="${ty}" font-family="${FONT}" font-size="${size}" fill="${colour}" text-anchor="${anchor}">${escapeXml(s)}</text>`;
  const stepLabel = `step ${step.toLocaleString('en-US')}${epoch !== undefined ? ` · epoch ${epoch.toFixed(2)}` : ''}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">
<rect width="${w}" height="${h}" fill="${COLOURS.background}"/>
${text(M.left, 18, style.title, 13, COLOURS.axis)}
${text(M.left, 38, stepLabel, 16)}
<path d="M${M.left},${M.top} V${M.top + plotH} H${M.left + plotW}" fill="none" stroke="${COLOURS.axis}" stroke-width="1"/>
${text(M.left - 4, M.top + 4, fmt(scale.hi), 10, COLOURS.axis, 'end')}
${text(M.left - 4, M.top + plotH, fmt(scale.lo), 10, COLOURS.axis, 'end')}
${text(M.left, h - 8, '0', 10, COLOURS.axis)}
${text(M.left + plotW, h - 8, scale.maxStep.toLocaleString('en-US'), 10, COLOURS.axis, 'end')}
${series('dLoss', COLOURS.d)}
${series('gLoss', COLOURS.g)}
${text(M.left + plotW, M.top + 12, `D loss${last ? ` ${fmt(last.dLoss)}` : ''}`, 11, COLOURS.d, 'end')}
${text(M.left + plotW, M.top + 26, `G loss${last ? ` ${fmt(last.gLoss)}` : ''}`, 11, COLOURS.g, 'end')}
</svg>`;
}
