/**
 * Detectors over the label-free score's history: oscillation (the paper saw training oscillate
 * and go unstable with Adam's beta1 = 0.9, Radford et al. 2016 Sec. 4) in the score or in the
 * fixed-noise grid, and a score that stopped improving.
 */
import type { HealthNotice, HealthRecord } from '../../shared/types/health';
import { currentStretch, median, round } from './notice-util';
import {
  GRID_CYCLE_COUNT,
  GRID_CYCLE_WINDOW,
  GRID_MIN_DRIFT,
  GRID_RETURN_RATIO,
  OSCILLATION_MIN_FLIPS,
  OSCILLATION_MIN_SWING,
  OSCILLATION_WINDOW,
  STALL_CHECKPOINTS,
  STALL_MIN_IMPROVEMENT,
} from './thresholds';

const OSCILLATION_ADVICE =
  "Training is going back and forth instead of improving: G and D keep undoing each other's progress. " +
  "Lower the learning rate (the paper also found Adam's beta1 = 0.9 oscillated where 0.5 did not), " +
  'or roll back to the best checkpoint and continue with a lower rate.';

interface ScoreCycle {
  flips: number;
  meanSwing: number;
  medianFd: number;
}

/** Whether the newest OSCILLATION_WINDOW scores go up and down with a large swing. */
function scoreCycling(records: readonly HealthRecord[]): ScoreCycle | null {
  const fds = records.slice(-OSCILLATION_WINDOW).map((r) => r.fd);
  if (fds.length < OSCILLATION_WINDOW || !fds.every(Number.isFinite)) return null;
  const diffs = fds.slice(1).map((f, i) => f - fds[i]);
  let flips = 0;
  for (let i = 1; i < diffs.length; i++) if (Math.sign(diffs[i]) * Math.sign(diffs[i - 1]) < 0) flips++;
  const meanSwing = diffs.reduce((a, d) => a + Math.abs(d), 0) / diffs.length;
  const medianFd = median(fds);
  if (flips < OSCILLATION_MIN_FLIPS || meanSwing < OSCILLATION_MIN_SWING * medianFd) return null;
  return { flips, meanSwing, medianFd };
}

/** Whether the fixed-noise grid went back to where it was two checkpoints earlier, repeatedly. */
function gridCycling(records: readonly HealthRecord[]): { cycles: number; drift: number; back: number } | null {
  const recent = records.slice(-GRID_CYCLE_WINDOW);
  const cycling = recent.filter(
    (r) => r.gridDrift !== null && r.gridReturn !== null && r.gridDrift >= GRID_MIN_DRIFT && r.gridReturn < GRID_RETURN_RATIO * r.gridDrift,
  );
  if (cycling.length < GRID_CYCLE_COUNT) return null;
  const last = cycling[cycling.length - 1];
  return { cycles: cycling.length, drift: last.gridDrift!, back: last.gridReturn! };
}

/** An oscillation notice from the score or the fixed-noise grid, or null. */
export function detectOscillation(records: readonly HealthRecord[]): HealthNotice | null {
  const score = currentStretch(records, scoreCycling);
  const grid = currentStretch(records, gridCycling);
  if (!score && !grid) return null;
  const evidence: Record<string, number | string> = {};
  if (score) {
    Object.assign(evidence, {
      scoreFlips: score.finding.flips,
      meanScoreSwing: round(score.finding.meanSwing),
      medianScore: round(score.finding.medianFd),
    });
  }
  if (grid)
    Object.assign(evidence, {
      gridCycles: grid.finding.cycles,
      gridDrift: round(grid.finding.drift),
      gridReturn: round(grid.finding.back),
    });
  const since = Math.min(score?.since.step ?? Infinity, grid?.since.step ?? Infinity);
  return {
    kind: 'oscillation',
    severity: 'warning',
    step: since,
    title: score ? 'The quality score is going up and down instead of improving' : 'The fixed-noise samples keep switching back and forth',
    advice: OSCILLATION_ADVICE,
    actions: ['lower-learning-rate', 'roll-back-to-best'],
    evidence: { ...evidence, sinceStep: since },
  };
}

/** Whether the best of the newest STALL_CHECKPOINTS scores is not clearly better than the best before them. */
function stalled(records: readonly HealthRecord[]): { best: number; bestBefore: number; bestStep: number } | null {
  if (records.length < STALL_CHECKPOINTS + 1) return null;
  const recent = records.slice(-STALL_CHECKPOINTS);
  const before = records.slice(0, -STALL_CHECKPOINTS);
  const best = Math.min(...recent.map((r) => r.fd));
  const bestRecord = before.reduce((a, r) => (r.fd < a.fd ? r : a));
  if (!Number.isFinite(best) || !Number.isFinite(bestRecord.fd)) return null;
  if (best < (1 - STALL_MIN_IMPROVEMENT) * bestRecord.fd) return null;
  return { best, bestBefore: bestRecord.fd, bestStep: bestRecord.step };
}

/** An info notice when the score has not improved for STALL_CHECKPOINTS checkpoints. */
export function detectStall(records: readonly HealthRecord[]): HealthNotice | null {
  const stretch = currentStretch(records, stalled);
  if (!stretch) return null;
  const { finding } = stretch;
  return {
    kind: 'stalled',
    severity: 'info',
    step: stretch.since.step,
    title: `The quality score has not improved for ${STALL_CHECKPOINTS + stretch.length - 1} checkpoints`,
    advice:
      'The run may have learned what this model can learn from these images: more steps are unlikely to help. ' +
      'Keep the best checkpoint (it is marked), or try more images or a larger model. If the samples still look ' +
      'poor, a lower learning rate sometimes gets a run moving again.',
    actions: ['roll-back-to-best', 'stop', 'add-data'],
    evidence: { bestRecent: round(finding.best), bestBefore: round(finding.bestBefore), bestStep: finding.bestStep },
  };
}
