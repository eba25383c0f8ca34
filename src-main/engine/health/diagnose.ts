/**
 * All run-health detectors over one history: what the training view shows and the CLI prints.
 * Pure: the same metrics rows and health records always give the same notices.
 */
import type { HealthNotice, HealthRecord, HealthSeverity } from '../../shared/types/health';
import type { MetricRow } from '../../shared/types';
import { detectModeCollapse } from './detect-collapse';
import { detectOscillation, detectStall } from './detect-score';
import { detectDiscriminatorOverpowering, detectNonFinite } from './detect-training';

export interface HealthHistory {
  /** metrics.jsonl rows, oldest first. */
  metrics: readonly MetricRow[];
  /** Per-checkpoint label-free records of one feature space, oldest first. */
  records: readonly HealthRecord[];
}

const ORDER: Record<HealthSeverity, number> = { critical: 0, warning: 1, info: 2 };

/** Current notices, the most severe first. Records of other feature spaces must be filtered out by the caller. */
export function diagnose({ metrics, records }: HealthHistory): HealthNotice[] {
  const sorted = [...records].sort((a, b) => a.step - b.step);
  const spaces = new Set(sorted.map((r) => r.space));
  if (spaces.size > 1) throw new Error(`Health records from ${spaces.size} feature spaces cannot be compared; pass one space's records`);
  const notices = [
    detectNonFinite(metrics, sorted),
    detectModeCollapse(sorted),
    detectDiscriminatorOverpowering(metrics),
    detectOscillation(sorted),
    detectStall(sorted),
  ].filter((n): n is HealthNotice => n !== null);
  return notices.sort((a, b) => ORDER[a.severity] - ORDER[b.severity] || a.step - b.step);
}
