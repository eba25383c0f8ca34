/** What the charts draw: the data types their callers build. */

/** A training metric by step: columns, since a long run has tens of thousands of rows. */
export interface MetricSeries {
  id: string;
  label: string;
  color: string;
  /** Steps, ascending; `raw` and `smooth` are the values at those steps. */
  xs: Float64Array;
  raw: Float64Array;
  smooth: Float64Array;
}

/** An evaluation result: a few points, maybe with a shaded range. */
export interface EvalSeries {
  id: string;
  label: string;
  color: string;
  points: [number, number][];
  /** A shaded range per x (p10..p90), drawn under the line. */
  band?: [number, number, number][];
  /** A reference line (e.g. the best possible value): dashed, without dots. */
  dashed?: boolean;
}

/** A ringed, labelled point (e.g. the best checkpoint). */
export interface ChartMarker {
  x: number;
  y: number;
  label: string;
}
