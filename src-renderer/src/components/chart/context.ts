import { getContext, setContext } from 'svelte';
import type { ScaleContinuousNumeric } from 'd3';

/** What every chart layer reads: LayerCake-style, the container owns scales, layers only draw. */
export interface ChartContext {
  readonly x: ScaleContinuousNumeric<number, number>;
  readonly y: ScaleContinuousNumeric<number, number>;
  readonly yLog: boolean;
  readonly innerWidth: number;
  readonly innerHeight: number;
  /** The x domain before zooming (all data). */
  readonly fullX: ScaleContinuousNumeric<number, number>;
}

const key = Symbol('chart');

export const provideChart = (chart: ChartContext) => setContext(key, chart);

export function useChart(): ChartContext {
  const chart = getContext<ChartContext | undefined>(key);
  if (!chart) throw new Error('Chart layers must be inside <MetricChart>');
  return chart;
}
