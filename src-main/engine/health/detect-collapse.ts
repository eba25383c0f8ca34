/**
 * Mode collapse (Radford et al. 2016, Sec. 4.1 and 6: "collapsing all samples to a single
 * point"): the samples' diversity falls, more and more of them are near-duplicates of each other,
 * and the share of real images they cover (recall) drops. Read from the per-checkpoint records
 * (score.ts), all in units of the real images' own spread, so thresholds hold across datasets.
 * Untrained generators are never diverse, so falls are measured from the run's own peak.
 */
import type { HealthNotice, HealthRecord } from '../../shared/types/health';
import { currentStretch, round } from './notice-util';
import {
  COLLAPSE_DIVERSITY_CRITICAL,
  COLLAPSE_DIVERSITY_DROP,
  COLLAPSE_DIVERSITY_FLOOR,
  COLLAPSE_DUPLICATES_WERE,
  COLLAPSE_MIN_PEAK_DIVERSITY,
  COLLAPSE_MIN_PEAK_RECALL,
  COLLAPSE_NEAR_DUPLICATES,
  COLLAPSE_NEVER_DIVERSE,
  COLLAPSE_RECALL_DROP,
} from './thresholds';

const ADVICE =
  'The generator has found a few outputs that fool the discriminator and makes little else: samples look alike ' +
  'whatever the noise. Roll back to the best checkpoint and continue with a lower learning rate, or train on more ' +
  '(and more varied) images; a smaller model collapses less on a small dataset. Training on rarely recovers by itself.';

export interface CollapseFinding {
  critical: boolean;
  evidence: Record<string, number | string>;
}

/** Whether the newest of `records` (oldest first) shows collapse, judged against the records before it. */
export function collapseAt(records: readonly HealthRecord[]): CollapseFinding | null {
  const last = records[records.length - 1];
  if (!last) return null;
  let peakDiversity = 0;
  let peakRecall = 0;
  let fewestDuplicates = Infinity;
  for (const r of records) {
    peakDiversity = Math.max(peakDiversity, r.diversity);
    peakRecall = Math.max(peakRecall, r.recall);
    fewestDuplicates = Math.min(fewestDuplicates, r.nearDuplicates);
  }
  const reasons: string[] = [];
  const diversityShare = peakDiversity > 0 ? last.diversity / peakDiversity : 1;
  const recent = records.slice(-COLLAPSE_NEVER_DIVERSE);
  const neverDiverse = recent.length === COLLAPSE_NEVER_DIVERSE && recent.every((r) => r.diversity < COLLAPSE_DIVERSITY_FLOOR);
  const atFloor = last.diversity < COLLAPSE_DIVERSITY_FLOOR && (peakDiversity >= 2 * COLLAPSE_DIVERSITY_FLOOR || neverDiverse);
  if (atFloor) reasons.push('samples nearly one image');
  else if (peakDiversity >= COLLAPSE_MIN_PEAK_DIVERSITY && diversityShare < COLLAPSE_DIVERSITY_DROP) reasons.push('diversity fell');
  if (last.nearDuplicates >= COLLAPSE_NEAR_DUPLICATES && fewestDuplicates < COLLAPSE_DUPLICATES_WERE) reasons.push('near-duplicates rose');
  if (peakRecall >= COLLAPSE_MIN_PEAK_RECALL && last.recall < COLLAPSE_RECALL_DROP * peakRecall) reasons.push('recall dropped');
  if (reasons.length === 0) return null;
  return {
    critical: atFloor || (peakDiversity >= COLLAPSE_MIN_PEAK_DIVERSITY && diversityShare < COLLAPSE_DIVERSITY_CRITICAL),
    evidence: {
      reasons: reasons.join(', '),
      diversity: round(last.diversity),
      peakDiversity: round(peakDiversity),
      nearDuplicates: round(last.nearDuplicates),
      recall: round(last.recall),
      peakRecall: round(peakRecall),
    },
  };
}

/** A mode-collapse notice for the newest record, or null. `step` is where the current stretch of collapse began. */
export function detectModeCollapse(records: readonly HealthRecord[]): HealthNotice | null {
  const stretch = currentStretch(records, collapseAt);
  if (!stretch) return null;
  const { finding, since } = stretch;
  return {
    kind: 'mode-collapse',
    severity: finding.critical ? 'critical' : 'warning',
    step: since.step,
    title: finding.critical ? 'The generator has collapsed: its samples are nearly all alike' : 'Sample diversity is collapsing',
    advice: ADVICE,
    actions: ['roll-back-to-best', 'lower-learning-rate', 'add-data', 'smaller-model'],
    evidence: { ...finding.evidence, sinceStep: since.step, checkpoints: stretch.length },
  };
}
