/**
 * Health notices as events in metrics.jsonl: one JSON object per line, told apart from metrics
 * rows by its `event: "health"` key (metrics rows have no `event`). A notice is logged once per
 * (kind, step): a condition that persists keeps its start step, so re-running the detectors at
 * every checkpoint does not repeat it. Example line:
 *   {"event":"health","version":1,"kind":"mode-collapse","severity":"critical","step":1200,
 *    "title":"...","advice":"...","actions":["roll-back-to-best"],"evidence":{...},"time":1764600000000}
 */
import type { HealthEvent, HealthNotice } from '../../shared/types/health';

export const HEALTH_EVENT = 'health';

export const toHealthEvent = (notice: HealthNotice, time = Date.now()): HealthEvent => ({
  event: HEALTH_EVENT,
  version: 1,
  ...notice,
  time,
});

/** True for a parsed metrics.jsonl line that is a health event, not a metrics row. */
export function isHealthEvent(value: unknown): value is HealthEvent {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<HealthEvent>;
  return v.event === HEALTH_EVENT && typeof v.kind === 'string' && typeof v.step === 'number' && typeof v.title === 'string';
}

/** The notices not logged yet, as events to append (one line each: JSON.stringify(event)). */
export function newHealthEvents(notices: readonly HealthNotice[], logged: readonly HealthEvent[], time = Date.now()): HealthEvent[] {
  const seen = new Set(logged.map((e) => `${e.kind}@${e.step}`));
  return notices.filter((n) => !seen.has(`${n.kind}@${n.step}`)).map((n) => toHealthEvent(n, time));
}

/** Health events among the lines of a metrics.jsonl text (torn or foreign lines are skipped). */
export function parseHealthEvents(text: string): HealthEvent[] {
  const out: HealthEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.includes('"event"')) continue;
    try {
      const value: unknown = JSON.parse(line);
      if (isHealthEvent(value)) out.push(value);
    } catch {
      /* torn line */
    }
  }
  return out;
}
