/**
 * metrics.jsonl: one JSON object per logged step, appended as training goes. Other lines may be
 * events, told apart by an `event` key (run-health notices: health/events.ts); they carry the
 * step they belong to, so a rollback keeps and moves them aside with the rows.
 */
import fs from 'node:fs';
import type { MetricRow } from '../../shared/types';
import { asDiskError } from '../util/durable';
import { writeFileAtomic } from './atomic';

/**
 * Appends rows. A process killed mid-append leaves a torn last line without its newline; the next
 * row would be glued onto it and lost too, so the torn tail is cut off first.
 */
export function appendMetrics(file: string, rows: readonly object[]): void {
  if (rows.length === 0) return;
  try {
    repairTornTail(file);
    fs.appendFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  } catch (err) {
    throw asDiskError(err, file);
  }
}

/** Truncates a file that does not end in a newline back to its last complete line. */
export function repairTornTail(file: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r+');
  } catch {
    return false; // no file yet
  }
  try {
    const size = fs.fstatSync(fd).size;
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    fs.readSync(fd, last, 0, 1, size - 1);
    if (last[0] === 0x0a) return false;
    // Walk back to the previous newline in small chunks (rows are ~200 bytes).
    const chunk = Buffer.alloc(4096);
    let end = size;
    while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      const n = fs.readSync(fd, chunk, 0, end - start, start);
      const at = chunk.subarray(0, n).lastIndexOf(0x0a);
      if (at >= 0) {
        fs.ftruncateSync(fd, start + at + 1);
        return true;
      }
      end = start;
    }
    fs.ftruncateSync(fd, 0);
    return true;
  } finally {
    fs.closeSync(fd);
  }
}

/** Every line of the file that parses and has a numeric step: rows and events; torn lines are skipped. */
function readLines(file: string): { step: number; event?: unknown }[] {
  if (!fs.existsSync(file)) return [];
  const lines: { step: number; event?: unknown }[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const value = JSON.parse(line) as { step?: unknown; event?: unknown } | null;
      if (typeof value?.step === 'number') lines.push(value as { step: number; event?: unknown });
    } catch {
      /* torn line */
    }
  }
  return lines;
}

/** Reads all rows after `sinceStep`; a torn last line (process killed mid-append) is skipped, not fatal; event lines are not rows. */
export function readMetrics(file: string, sinceStep = 0): MetricRow[] {
  return readLines(file).filter((r): r is MetricRow & { event?: undefined } => r.event === undefined && r.step > sinceStep);
}

/** The event lines of one kind (e.g. 'health'), oldest first. */
export function readMetricEvents<T extends { step: number }>(file: string, event: string): T[] {
  return readLines(file).filter((r) => r.event === event) as unknown as T[];
}

/**
 * Drops rows and events after `step` (they belong to training that a resume or rollback will
 * redo) and returns them, so the caller can keep them aside.
 */
export function truncateMetrics(file: string, step: number): object[] {
  const all = readLines(file);
  const keep = all.filter((r) => r.step <= step);
  const dropped = all.filter((r) => r.step > step);
  if (dropped.length > 0 || (fs.existsSync(file) && keep.length !== all.length)) {
    writeFileAtomic(file, keep.map((r) => JSON.stringify(r)).join('\n') + (keep.length ? '\n' : ''));
  }
  return dropped;
}
