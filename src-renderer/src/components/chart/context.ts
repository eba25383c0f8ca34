import { getContext, setContext } from 'svelte';
import type { Scale } from '../../lib/chart/scales';

/** What every chart layer reads: LayerCake-style, the <Chart> owns the scales, layers only draw. */
export interface ChartContext {
  readonly x: Scale;
  readonly y: Scale;
  /** A log y axis: values at or below zero have no place on it. */
  readonly yLog: boolean;
  readonly innerWidth: number;
  readonly innerHeight: number;
  /** A clip-path url for the plot area (see Clip.svelte). */
  readonly clip: string;
}

const key = Symbol('chart');

export const provideChart = (chart: ChartContext) => setContext(key, chart);

export function useChart(): ChartContext {
  const chart = getContext<ChartContext | undefined>(key);
  if (!chart) throw new Error('Chart layers must be inside <Chart>');
  return chart;
}
