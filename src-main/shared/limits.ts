/**
 * Plain limits and defaults the contract validates with and the renderer shows. zod-free, so the
 * renderer can import them without pulling the contract's schemas into its bundle.
 */

/** More exemplars than this adds nothing to a mean and makes a slow render. */
export const MAX_CONCEPT_MEMBERS = 64;
/** Concepts in one expression: the result view shows a row per concept. */
export const MAX_EXPRESSION_TERMS = 8;
/** Frames per direction request (a walk of up to 64 frames renders in one call). */
export const MAX_DIRECTION_FRAMES = 64;
/** The paper's noise scale for the 3x3 grid (Fig. 7: "uniform noise sampled with scale +-0.25"). */
export const DEFAULT_ARITH_NOISE = 0.25;

/** Most frames a walk may have: 64-frame paths through 32 points, with room to spare. */
export const MAX_WALK_FRAMES = 4096;
/** Rows per render call: small enough that a call returns in a fraction of a second. */
export const MAX_RENDER_ROWS = 64;

/** Data-parallel training workers a run may ask for (the engine also caps them by batch and memory). */
export const MAX_TRAINING_WORKERS = 64;

/** The largest decay of G's weight average (`emaDecay`): 0.9999 averages over about the last 10,000 steps. */
export const MAX_EMA_DECAY = 0.9999;

/**
 * How often a run samples and checkpoints, and which checkpoints it keeps: the defaults the
 * engine writes into a new project and the wizard shows.
 */
export const DEFAULT_CADENCE = {
  sampleEvery: 100,
  checkpointEvery: 200,
  // On the 64x64 preset on a laptop CPU 200 steps are 10+ minutes: a crash should cost at most 2.
  checkpointMinutes: 2,
  keepLast: 5,
  keepEvery: 5,
} as const;
