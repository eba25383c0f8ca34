/**
 * The best checkpoint: the one to keep, pin against pruning, and offer by default for walks,
 * arithmetic, export and "roll back to best". Chosen by the label-free score (lowest FD), and
 * where the labelled score (eval/quality.ts) exists for the same checkpoints, by both: each
 * score ranks the checkpoints and the lowest sum of ranks wins (ties: the labelled FD, then
 * the label-free FD, then the later step). Checkpoints whose samples collapsed, or that are less
 * than BEST_MIN_DIVERSITY_SHARE as diverse as the most diverse one, are not best while any other
 * is; with `available`, only checkpoints still on disk are considered.
 */
import type { QualityRow } from '../../shared/types/eval';
import type { BestCheckpoint, HealthRecord } from '../../shared/types/health';
import { collapseAt } from './detect-collapse';
import { ranks } from './ranks';
import { BEST_MIN_DIVERSITY_SHARE } from './thresholds';

export type { BestCheckpoint };

export interface BestOptions {
  /** Steps whose checkpoint files still exist; others cannot be pinned or rolled back to. */
  available?: readonly number[];
}

/** The best checkpoint, or null when no usable record exists. */
export function chooseBestCheckpoint(
  records: readonly HealthRecord[],
  labelled: readonly QualityRow[] = [],
  options: BestOptions = {},
): BestCheckpoint | null {
  const available = options.available ? new Set(options.available) : null;
  const sorted = [...records].sort((a, b) => a.step - b.step);
  const peak = Math.max(0, ...sorted.map((r) => r.diversity).filter(Number.isFinite));
  const scored = sorted.filter((r) => Number.isFinite(r.fd) && (!available || available.has(r.step)));
  // FD can rate a less varied G better (far from the data its mean term dominates, and a G
  // squeezed towards one average image gets the mean closer): collapsed or much less diverse
  // checkpoints are skipped while any other is left.
  const diverse = scored.filter(
    (r) => r.diversity >= BEST_MIN_DIVERSITY_SHARE * peak && collapseAt(sorted.slice(0, sorted.indexOf(r) + 1)) === null,
  );
  const usable = diverse.length > 0 ? diverse : scored;
  if (usable.length === 0) return null;
  const labelledByStep = new Map(labelled.filter((q) => Number.isFinite(q.fd)).map((q) => [q.step, q.fd]));
  const both = usable.filter((r) => labelledByStep.has(r.step));
  if (both.length > 0) {
    const rFree = ranks(both.map((r) => r.fd));
    const rLab = ranks(both.map((r) => labelledByStep.get(r.step)!));
    const order = both
      .map((r, i) => ({ r, sum: rFree[i] + rLab[i], lab: labelledByStep.get(r.step)! }))
      .sort((a, b) => a.sum - b.sum || a.lab - b.lab || a.r.fd - b.r.fd || b.r.step - a.r.step);
    const best = order[0];
    return {
      step: best.r.step,
      by: 'label-free+labelled',
      fd: best.r.fd,
      labelledFd: best.lab,
      candidates: both.length,
      reason: `Best by both scores together among ${both.length} checkpoints scored with and without labels`,
    };
  }
  const best = [...usable].sort((a, b) => a.fd - b.fd || b.step - a.step)[0];
  return {
    step: best.step,
    by: 'label-free',
    fd: best.fd,
    labelledFd: null,
    candidates: usable.length,
    reason: `Lowest label-free score among ${usable.length} checkpoint${usable.length === 1 ? '' : 's'}`,
  };
}
