/** Shared by the eval-* commands: progress on stderr, step lists, JSON or table output. */
import { selectBackend } from '../../engine/backend/select';
import type { RunControl } from '../../engine/eval/progress';
import type { StepSelection } from '../../engine/eval/checkpoints';
import { bar, endProgress, intOption, progressLine, UsageError } from '../args';

/** A progress line per phase on stderr (a bar on a terminal, a line per 10% in a log). */
export function cliProgress(): RunControl & { onStep: (step: number, index: number, count: number) => void; done: () => void } {
  let where = '';
  let phase = '';
  return {
    onProgress: (p) => {
      if (p.phase !== phase && phase) endProgress();
      phase = p.phase;
      progressLine(`${where}${p.phase} ${bar(p.done, p.total)}`, p.done / Math.max(1, p.total));
    },
    onStep: (step, index, count) => {
      where = count > 1 ? `[checkpoint ${index}/${count}] ` : '';
    },
    done: () => endProgress(),
  };
}

/** --steps latest|all|new|4,8,12 */
export function stepsOption(raw: string | undefined, fallback: StepSelection): StepSelection {
  if (raw === undefined) return fallback;
  if (raw === 'latest' || raw === 'all' || raw === 'new') return raw;
  const steps = raw.split(',').map((s) => intOption('steps', s.trim(), 0)!);
  if (steps.length === 0) throw new UsageError(`--steps must be latest, all, new or a list like 200,400, got '${raw}'`);
  return steps;
}

export async function evalBackend(): Promise<void> {
  const report = await selectBackend('auto');
  process.stderr.write(`Evaluating on the ${report.active} backend\n`);
}

/** Formats a fraction as a percentage with one decimal. */
export const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** A plain text table, columns padded to their widest cell. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => r[c]?.length ?? 0)));
  return cells.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')).join('\n');
}
