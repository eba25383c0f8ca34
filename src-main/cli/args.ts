/** Argument parsing with one-line, user-facing errors (never a stack trace). */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export type ParseOptions = NonNullable<ParseArgsConfig['options']>;
type Parsed<T extends ParseOptions> = ReturnType<typeof parseArgs<{ options: T; allowPositionals: true; strict: true }>>;

export class UsageError extends Error {}

/** `positionals` are required names; `optional` more may follow. */
export function parse<T extends ParseOptions>(
  argv: string[],
  options: T,
  positionals: string[],
  optional: string[] = [],
): { values: Parsed<T>['values']; positionals: string[] } {
  let parsed: Parsed<T>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0].replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
  if (parsed.positionals.length < positionals.length) throw new UsageError(`missing <${positionals[parsed.positionals.length]}>`);
  const max = positionals.length + optional.length;
  if (parsed.positionals.length > max) throw new UsageError(`unexpected argument '${parsed.positionals[max]}'`);
  return { values: parsed.values, positionals: parsed.positionals };
}

/**
 * A number from a flag; undefined stays undefined. Only "is it a number" is checked here: ranges
 * and integer-ness are the contract's (its zod schema validates the call, and an error names the flag).
 */
export function num(name: string, raw: string | boolean | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got '${raw}'`);
  return n;
}

/** "1,2, 3" -> [1, 2, 3]; each checked to be a number. */
export function numList(name: string, raw: string | boolean | undefined): number[] | undefined {
  if (raw === undefined) return undefined;
  const items = String(raw)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new UsageError(`--${name} needs a comma-separated list, got '${raw}'`);
  return items.map((s) => num(name, s)!);
}

/** A string flag's value (boolean flags never reach here). */
export const str = (raw: string | boolean | undefined): string | undefined => (typeof raw === 'string' ? raw : undefined);

/** A flag whose value must be one of `choices` (the contract's enum, when there is one). */
export function choiceOption<C extends string>(name: string, raw: unknown, choices: readonly C[]): C | undefined {
  if (raw === undefined) return undefined;
  if (!choices.includes(raw as C)) throw new UsageError(`--${name} must be one of ${choices.join('|')}, got '${raw}'`);
  return raw as C;
}

/** `--x` is required: a usage error that says what it is for. */
export function required<T>(name: string, value: T | undefined, what: string): T {
  if (value === undefined || value === '') throw new UsageError(`--${name} is required (${what})`);
  return value;
}

let lastPlainTenth = -1;

/** A progress bar on stderr when it is a terminal; in a log, a line per 10% only. */
export function progressLine(text: string, fraction: number): void {
  if (process.stderr.isTTY) return void process.stderr.write(`\r\x1b[2K${text}`);
  const tenth = Math.floor(fraction * 10);
  if (tenth === lastPlainTenth) return;
  lastPlainTenth = tenth;
  process.stderr.write(`${text}\n`);
}

export function endProgress(): void {
  if (process.stderr.isTTY) process.stderr.write('\n');
}

export function bar(done: number, total: number, width = 24): string {
  const f = total > 0 ? Math.min(1, done / total) : 0;
  const n = Math.round(f * width);
  return `[${'#'.repeat(n)}${'-'.repeat(width - n)}] ${(f * 100).toFixed(0).padStart(3)}%`;
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '--';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
