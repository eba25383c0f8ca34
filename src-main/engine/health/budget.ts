/**
 * The scoring budget: label-free scoring must never slow training by more than a stated share.
 * The sample count stays fixed for the whole project (FD and the k-NN statistics are comparable
 * only at equal counts), so the budget is kept by skipping checkpoints, never by scoring fewer
 * samples: a checkpoint is scored only while the scoring seconds spent so far, plus this
 * scoring's estimate, stay within `share` of the training seconds so far. Checkpoints skipped
 * while training can be scored afterwards, when nothing competes for the CPU.
 *
 * Scoring seconds are counted as if they stopped training for their whole length, which is what
 * happens when both share one core; on a free second core the real slowdown is smaller.
 */

/** Default share of training time scoring may take: 5%. */
export const HEALTH_SCORING_SHARE = 0.05;

export interface BudgetState {
  /** Training seconds so far (wall time of steps). */
  trainingSeconds: number;
  /** Scoring seconds so far. */
  scoringSeconds: number;
}

/** Whether scoring the checkpoint that just landed, estimated at `estimateSeconds`, keeps within the budget. */
export function withinBudget(state: BudgetState, estimateSeconds: number, share = HEALTH_SCORING_SHARE): boolean {
  return state.scoringSeconds + estimateSeconds <= share * state.trainingSeconds;
}

/** Score every k-th checkpoint: the smallest k whose scoring fits the share (1 = every checkpoint). */
export function checkpointsPerScore(scoringSeconds: number, trainingSecondsPerCheckpoint: number, share = HEALTH_SCORING_SHARE): number {
  if (!(trainingSecondsPerCheckpoint > 0)) return Infinity;
  return Math.max(1, Math.ceil(scoringSeconds / (share * trainingSecondsPerCheckpoint)));
}

/** How much longer training takes when every checkpoint is scored on the same core: scoring / training time. */
export const scoringShare = (scoringSeconds: number, trainingSecondsPerCheckpoint: number) => scoringSeconds / trainingSecondsPerCheckpoint;
