/** Shared by the eval-* commands: progress on stderr, step lists, JSON or table output. */
import type { ApiEvents, ApiInput, ApiOutput } from '../../shared/contract';
import type { CliCommand, Parsed } from '../command';
import type { FlagMap } from '../session';
import { bar, endProgress, numList, progressLine, UsageError } from '../args';
import { note, type Session } from '../session';

/** Progress lines per phase on stderr (a bar on a terminal, a line per 10% in a log) while `work` runs. */
export async function withEvalProgress<T>(session: Session, work: () => Promise<T>): Promise<T> {
  const backend = await session.call('backends', {});
  note(`Evaluating on the ${backend.active} backend`);
  return withPhaseProgress(
    session,
    'eval.progress',
    (p) => `${(p.stepCount ?? 0) > 1 ? `[checkpoint ${p.stepIndex}/${p.stepCount}] ` : ''}${p.phase}`,
    work,
  );
}

type PhaseProgress = { phase: string; done: number; total: number };

/** Runs `work` while `event`'s progress is drawn on stderr, one bar per phase; `label` names the line. */
export async function withPhaseProgress<E extends 'eval.progress' | 'health.progress', T>(
  session: Session,
  event: E,
  label: (p: ApiEvents[E]) => string,
  work: () => Promise<T>,
): Promise<T> {
  let phase = '';
  const off = await session.on(event, (p: ApiEvents[E]) => {
    const { phase: now, done, total } = p as PhaseProgress;
    if (now !== phase && phase) endProgress();
    phase = now;
    progressLine(`${label(p)} ${bar(done, total)}`, done / Math.max(1, total));
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

type EvalMethod = 'evalFeatures' | 'evalQuality' | 'evalMemorisation';

/**
 * An eval-* command: its own flags mapped to the method's payload, then the same run for all:
 * the payload checked at once, the evaluation with progress on stderr, and JSON (--json) or the
 * command's own table on stdout.
 */
export function evalCommand<K extends EvalMethod>(spec: {
  name: string;
  summary: string;
  usage: string;
  options: CliCommand['options'];
  method: K;
  input(v: Parsed['values'], dir: string): ApiInput<K>;
  /** Payload fields -> flags, for errors. */
  flags: FlagMap;
  /** Files the command writes from the result (either output mode). */
  write?(result: ApiOutput<K>, v: Parsed['values'], session: Session): Promise<void>;
  /** What --json prints (default: the whole result). */
  json?(result: ApiOutput<K>): unknown;
  print(result: ApiOutput<K>, v: Parsed['values'], session: Session): void | Promise<void>;
}): CliCommand {
  return {
    name: spec.name,
    summary: spec.summary,
    usage: spec.usage,
    positionals: ['dir'],
    options: { ...spec.options, seed: { type: 'string' }, json: { type: 'boolean' } },
    async run({ values: v, positionals }, session) {
      const input = spec.input(v, positionals[0]);
      session.validate(spec.method, input, spec.flags);
      const result = await withEvalProgress(session, () => session.call(spec.method, input, spec.flags));
      await spec.write?.(result, v, session);
      if (v.json) console.log(JSON.stringify(spec.json ? spec.json(result) : result, null, 2));
      else await spec.print(result, v, session);
    },
  };
}

/** Formats a fraction as a percentage with one decimal. */
export const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** A plain text table, columns padded to their widest cell. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => r[c]?.length ?? 0)));
  return cells.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')).join('\n');
}
