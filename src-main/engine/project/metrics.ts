/** metrics.jsonl: one JSON object per logged step, appended as training goes. */
import fs from 'node:fs';
import type { MetricRow } from '../../shared/types';
import { writeFileAtomic } from './atomic';

export function appendMetrics(file: string, rows: MetricRow[]): void {
  if (rows.length === 0) return;
  fs.appendFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
}

/** Reads all rows after `sinceStep`; a torn last line (process killed mid-append) is skipped, not fatal. */
export function readMetrics(file: string, sinceStep = 0): MetricRow[] {
  if (!fs.existsSync(file)) return [];
  const rows: MetricRow[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const row = JSON.parse(line) as MetricRow;
      if (typeof row.step === 'number' && row.step > sinceStep) rows.push(row);
    } catch {
      /* torn line */
    }
  }
  return rows;
}

/**
 * Drops rows after `step` (they belong to training that a resume or rollback will redo) and
 * returns them, so the caller can keep them aside.
 */
export function truncateMetrics(file: string, step: number): MetricRow[] {
  const all = readMetrics(file);
  const keep = all.filter((r) => r.step <= step);
  const dropped = all.filter((r) => r.step > step);
  if (dropped.length > 0 || (fs.existsSync(file) && keep.length !== all.length)) {
    writeFileAtomic(file, keep.map((r) => JSON.stringify(r)).join('\n') + (keep.length ? '\n' : ''));
  }
  return dropped;
}
