/**
 * A CLI command: its flags, its one-line usage, and what it does with a Session (session.ts).
 * Command modules import only the contract's shared code and this folder, so `ganvas --help`
 * never loads the engine or tfjs.
 */
import type { ParseOptions } from './args';
import type { Session } from './session';

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export interface CliCommand {
  name: string;
  /** After `ganvas `: `sample <dir> --out grid.png [--count 64] ...`. */
  usage: string;
  /** One line for the command list. */
  summary: string;
  options: ParseOptions;
  /** Required positional names, then optional ones. */
  positionals?: string[];
  optional?: string[];
  run(args: Parsed, session: Session): Promise<void>;
}
