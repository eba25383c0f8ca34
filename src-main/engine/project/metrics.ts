/** metrics.jsonl: one JSON object per logged step, appended as training goes. */
import fs from 'node:fs';
import path from 'node:path';
import type { MetricRow } from '../../shared/types';
import { writeFileAtomic } from './atomic';

export const METRICS_FILE = 'metrics.jsonl';

export function appendMetrics(dir: string, rows: MetricRow[]): void {
  if (rows.length === 0) return;
  fs.appendFileSync(path.join(dir, METRICS_FILE), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
}

/** Reads all rows; a torn last line (process killed mid-append) is skipped, not fatal. */
export function readMetrics(dir: string, sinceStep = 0): MetricRow[] {
  const file = path.join(dir, METRICS_FILE);
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
export function truncateMetrics(dir: string, step: number): MetricRow[] {
  const all = readMetrics(dir);
  const keep = all.filter((r) => r.step <= step);
  const dropped = all.filter((r) => r.step > step);
  const file = path.join(dir, METRICS_FILE);
  if (dropped.length > 0 || (fs.existsSync(file) && keep.length !== all.length)) {
    writeFileAtomic(file, keep.map((r) => JSON.stringify(r)).join('\n') + (keep.length ? '\n' : ''));
  }
  return dropped;
}
