/**
 * Every threshold the run-health detectors decide on, named and documented in one place
 * (docs/run-health.md repeats them with their reasons). Tested on runs made to fail and on a
 * healthy run (test/unit/health-*.test.ts). Diversities and drifts are in units of the real
 * images' own spread (score.ts), so the numbers hold across datasets and feature spaces.
 */

/* ---- Scoring ---- */

/** A sample is a near-duplicate when its nearest other sample is closer than this quantile of real images' nearest-other distances. */
export const NEAR_DUPLICATE_QUANTILE = 0.05;

/* ---- Mode collapse (per-checkpoint records) ---- */

/** Diversity must once have reached this (share of the real spread) before a fall from the peak counts: untrained G is never diverse. */
export const COLLAPSE_MIN_PEAK_DIVERSITY = 0.3;
/** Collapse when diversity falls below this share of its own peak... */
export const COLLAPSE_DIVERSITY_DROP = 0.5;
/** ...critical below this share. */
export const COLLAPSE_DIVERSITY_CRITICAL = 0.25;
/** Or when at least this share of samples are near-duplicates, after it had been below COLLAPSE_DUPLICATES_WERE... */
export const COLLAPSE_NEAR_DUPLICATES = 0.5;
export const COLLAPSE_DUPLICATES_WERE = 0.2;
/** Or when recall falls below this share of its peak, once the peak was at least COLLAPSE_MIN_PEAK_RECALL. */
export const COLLAPSE_RECALL_DROP = 0.5;
export const COLLAPSE_MIN_PEAK_RECALL = 0.2;
/** A run that never became diverse: this many checkpoints in a row with at least NEVER_DIVERSE_DUPLICATES near-duplicates. */
export const NEVER_DIVERSE_CHECKPOINTS = 6;
export const NEVER_DIVERSE_DUPLICATES = 0.9;

/* ---- Discriminator overpowering the generator (metrics rows) ---- */

/** Logged rows looked at (the newest ones). */
export const OVERPOWER_WINDOW = 20;
/** Fewer rows than this decide nothing. */
export const OVERPOWER_MIN_ROWS = 10;
/** Median D(G(z)) at or below this: D rejects nearly every sample... */
export const OVERPOWER_D_FAKE = 0.05;
/** ...critical at or below this. */
export const OVERPOWER_D_FAKE_CRITICAL = 0.01;
/** ...and G's loss climbing (least-squares slope per logged row above 0) or at least -ln(OVERPOWER_D_FAKE) ~ 3. */
export const OVERPOWER_G_LOSS = -Math.log(OVERPOWER_D_FAKE);

/* ---- Oscillation (records) ---- */

/** Checkpoints looked at for a cycling score. */
export const OSCILLATION_WINDOW = 6;
/** Of the window's consecutive score changes, at least this many must flip direction... */
export const OSCILLATION_MIN_FLIPS = 4;
/** ...with a mean change of at least this share of the window's median score. */
export const OSCILLATION_MIN_SWING = 0.2;
/** The fixed-noise grid cycles when it is back nearer where it was two checkpoints ago than this share of its last move... */
export const GRID_RETURN_RATIO = 0.5;
/** ...after a move of at least this (share of the real spread), in this many of the last GRID_CYCLE_WINDOW checkpoints. */
export const GRID_MIN_DRIFT = 0.2;
export const GRID_CYCLE_COUNT = 2;
export const GRID_CYCLE_WINDOW = 3;

/* ---- Stalled score (records) ---- */

/** The score stalls when the best of the last STALL_CHECKPOINTS checkpoints... */
export const STALL_CHECKPOINTS = 5;
/** ...is not at least this share better than the best before them. */
export const STALL_MIN_IMPROVEMENT = 0.03;
