/** Shared by the eval-* commands: progress on stderr, step lists, JSON or table output. */
import type { ApiInput } from '../../shared/contract';
import { bar, endProgress, numList, progressLine, UsageError } from '../args';
import { note, type Session } from '../session';

/** Progress lines per phase on stderr (a bar on a terminal, a line per 10% in a log) while `work` runs. */
export async function withEvalProgress<T>(session: Session, work: () => Promise<T>): Promise<T> {
  const backend = await session.call('backends', {});
  note(`Evaluating on the ${backend.active} backend`);
  let phase = '';
  const off = await session.on('eval.progress', (p) => {
    if (p.phase !== phase && phase) endProgress();
    phase = p.phase;
    const where = (p.stepCount ?? 0) > 1 ? `[checkpoint ${p.stepIndex}/${p.stepCount}] ` : '';
    progressLine(`${where}${p.phase} ${bar(p.done, p.total)}`, p.done / Math.max(1, p.total));
  });
  try {
    return await work();
  } finally {
    off();
    endProgress();
  }
}

type StepSelection = NonNullable<ApiInput<'evalQuality'>['steps']>;

/** --steps latest|all|new|4,8,12 */
export function stepsOption(raw: string | boolean | undefined, fallback: StepSelection): StepSelection {
  if (raw === undefined) return fallback;
  if (raw === 'latest' || raw === 'all' || raw === 'new') return raw;
  const steps = numList('steps', raw);
  if (!steps) throw new UsageError(`--steps must be latest, all, new or a list like 200,400, got '${raw}'`);
  return steps;
}

/** Formats a fraction as a percentage with one decimal. */
export const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** A plain text table, columns padded to their widest cell. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => r[c]?.length ?? 0)));
  return cells.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')).join('\n');
}
