/** Progress of the long contract calls on stderr: analyses ('invert.progress') and exports ('export.progress'). */
import { randomUUID } from 'node:crypto';
import { bar, formatDuration, progressLine } from '../args';
import type { Session } from '../session';

/** The flags of every optimisation command (invert, excite): how long, how many starts, which seed and class. */
export const SEARCH_OPTIONS = {
  steps: { type: 'string' },
  restarts: { type: 'string' },
  seed: { type: 'string' },
  class: { type: 'string' },
} as const;

/** A fresh job id and a progress line for the 'invert.progress' events that carry it; returns the id and the unsubscribe. */
export async function followAnalysis(
  session: Session,
  what: string,
  value?: (v: number) => string,
): Promise<{ id: string; off: () => void }> {
  const id = randomUUID();
  const off = await session.on('invert.progress', (p) => {
    if (p.id !== id || p.phase === 'done' || p.phase === 'prepare') return;
    const extra = p.value !== undefined && value && Number.isFinite(p.value) ? `  ${value(p.value)}` : '';
    progressLine(`${what} ${bar(p.done, p.total)}  ETA ${formatDuration(p.etaSeconds)}${extra}`, p.done / Math.max(1, p.total));
  });
  return { id, off };
}

/** The same for an export's 'export.progress' events. */
export async function followExport(session: Session, what: string): Promise<{ id: string; off: () => void }> {
  const id = randomUUID();
  const off = await session.on('export.progress', (p) => {
    if (p.id === id && (p.phase === 'render' || p.phase === 'encode'))
      progressLine(`${what} ${bar(p.done, p.total)}`, p.done / Math.max(1, p.total));
  });
  return { id, off };
}
