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
export const COLLAPSE_MIN_PEAK_DIVERSITY = 0.2;
/** Collapse when diversity falls below this share of its own peak... */
export const COLLAPSE_DIVERSITY_DROP = 0.5;
/** ...critical below this share. */
export const COLLAPSE_DIVERSITY_CRITICAL = 0.25;
/**
 * Or when diversity is below this at all: samples nearly one image (a constant generator scores
 * 0; a 320-step MNIST run's first checkpoint already scored 0.05). Counted once diversity has
 * been twice this, or after COLLAPSE_NEVER_DIVERSE checkpoints in a row below it.
 */
export const COLLAPSE_DIVERSITY_FLOOR = 0.03;
export const COLLAPSE_NEVER_DIVERSE = 6;
/** Or when at least this share of samples are near-duplicates, after it had been below COLLAPSE_DUPLICATES_WERE... */
export const COLLAPSE_NEAR_DUPLICATES = 0.5;
export const COLLAPSE_DUPLICATES_WERE = 0.2;
/** Or when recall falls below this share of its peak, once the peak was at least COLLAPSE_MIN_PEAK_RECALL. */
export const COLLAPSE_RECALL_DROP = 0.5;
export const COLLAPSE_MIN_PEAK_RECALL = 0.2;

/* ---- Best checkpoint ---- */

/** The best checkpoint must be at least this diverse, as a share of the most diverse checkpoint (FD alone can favour a less varied G). */
export const BEST_MIN_DIVERSITY_SHARE = 0.7;

/* ---- Discriminator overpowering the generator (metrics rows) ---- */

/** Logged rows looked at (the newest ones). */
export const OVERPOWER_WINDOW = 20;
/** Fewer rows than this decide nothing. */
export const OVERPOWER_MIN_ROWS = 10;
/**
 * Median D(G(z)) at or below this: D rejects nearly every sample. D(G(z)) is logged before D's
 * update and through D's batch-statistics BatchNorm, which keeps it off 0 even when D wins (a
 * D 8x wider with a 10x learning rate logged medians of 0.08-0.14), so the line is not at 0...
 */
export const OVERPOWER_D_FAKE = 0.15;
/** ...and G's loss (-ln D(G(z)) after D's update) has a median of at least this, ~ D(G(z)) = 0.05 (a balanced run logs ~0.7-2)... */
export const OVERPOWER_G_LOSS = 3;
/** ...critical when D(G(z)) is at or below this or G's loss at or above OVERPOWER_G_LOSS_CRITICAL. */
export const OVERPOWER_D_FAKE_CRITICAL = 0.02;
export const OVERPOWER_G_LOSS_CRITICAL = 6;

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
