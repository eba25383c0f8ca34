/**
 * notices.jsonl: what the engine repaired or set aside in a project so that it stays usable (a
 * damaged checkpoint moved to rolled-back/, a torn file ignored), kept so the app can say so.
 */
import fs from 'node:fs';
import type { ProjectNotice } from '../../shared/types';

/** Notices shown with a project: the newest ones. */
const SHOWN = 20;

export function appendNotice(file: string, notice: ProjectNotice): void {
  try {
    fs.appendFileSync(file, JSON.stringify(notice) + '\n');
  } catch {
    /* a notice must never make things worse: a read-only or full disk just loses it */
  }
}

export function readNotices(file: string): ProjectNotice[] {
  if (!fs.existsSync(file)) return [];
  const out: ProjectNotice[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const n = JSON.parse(line) as ProjectNotice;
      if (typeof n.message === 'string' && typeof n.kind === 'string') out.push(n);
    } catch {
      /* torn line */
    }
  }
  return out.slice(-SHOWN);
}
