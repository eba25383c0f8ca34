/**
 * What a CLI command works with: the engine (created on first use, in this process, so a CLI run
 * is one process as before), contract calls whose validation errors name the command's flags,
 * events, and output files.
 */
import os from 'node:os';
import path from 'node:path';
import { parseInput, type ApiEventName, type ApiEvents, type ApiInput, type ApiMethod, type ApiOutput } from '../shared/contract';
import { GanvasError } from '../shared/errors';
import { UsageError } from './args';

type EngineModule = typeof import('../engine/api/engine-api');
type EngineHost = ReturnType<EngineModule['createEngine']>;

/** Contract field path ("options.fps") -> the flag that set it ("fps"), per call. */
export type FlagMap = Record<string, string>;

export class Session {
  private host: Promise<EngineHost> | null = null;
  private writer: EngineModule['writeFileAtomic'] | null = null;

  /** @param open makes the engine; by default one in this process (tests pass their own). */
  constructor(private readonly open?: (m: EngineModule) => EngineHost) {}

  /** The engine, loaded lazily: help and usage errors never pay for tfjs. */
  engine(): Promise<EngineHost> {
    this.host ??= import('../engine/api/engine-api').then((m) => {
      this.writer = m.writeFileAtomic;
      // The CLI keeps no recent-projects list of its own worth sharing: a temp state folder.
      const host = this.open ? this.open(m) : m.createEngine({ stateDir: path.join(os.tmpdir(), 'ganvas-cli'), channel: 'in-process' });
      // What the engine repaired or set aside (a damaged checkpoint...) is said, not hidden.
      host.on('project.notice', (n) => note(`Warning: ${n.message}`));
      return host;
    });
    return this.host;
  }

  /**
   * Calls the contract. `flags` maps payload fields to the flags that set them, so a value the
   * contract refuses is reported as `--count: Too big: expected number to be <=256`.
   */
  async call<K extends ApiMethod>(name: K, input: ApiInput<K>, flags: FlagMap = {}): Promise<ApiOutput<K>> {
    return this.callAny(name, input, flags) as Promise<ApiOutput<K>>;
  }

  /**
   * Checks a payload against the contract before any slow work (loading tfjs, a backend report),
   * so a bad flag fails at once; errors name the flag as `call`'s do.
   */
  validate<K extends ApiMethod>(name: K, input: ApiInput<K>, flags: FlagMap = {}): void {
    try {
      parseInput(name, input);
    } catch (err) {
      throw this.asFlagError(err, flags);
    }
  }

  /** `call` for a method outside the typed contract (a contract extension). */
  async callAny(name: string, input: unknown, flags: FlagMap = {}): Promise<unknown> {
    const engine = await this.engine();
    try {
      return await engine.call(name as ApiMethod, input);
    } catch (err) {
      throw this.asFlagError(err, flags);
    }
  }

  /** An 'invalid' error about a payload field, told as a usage error about the flag that set it. */
  private asFlagError(err: unknown, flags: FlagMap): unknown {
    if (err instanceof GanvasError && err.code === 'invalid' && err.field !== undefined) {
      // The longest field prefix with a flag: "concepts.1.members.0.seed" -> "concepts.1" -> --b.
      const parts = err.field.split('.');
      let flag: string | undefined;
      for (let n = parts.length; n > 0 && !flag; n--) flag = flags[parts.slice(0, n).join('.')];
      if (flag) return new UsageError(`--${flag}: ${err.reason}`);
    }
    return err;
  }

  async on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): Promise<() => void> {
    return (await this.engine()).on(event, listener);
  }

  /** Writes an output file the user named (atomically: a crash never leaves half a PNG). */
  async write(file: string, data: Uint8Array | string): Promise<string> {
    await this.engine();
    const out = path.resolve(file);
    const fs = await import('node:fs');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    this.writer!(out, data);
    return out;
  }

  async writeBase64(file: string, base64: string): Promise<string> {
    return this.write(file, Buffer.from(base64, 'base64'));
  }

  async close(): Promise<void> {
    if (this.host) await (await this.host).dispose();
  }
}

/** Progress and notes go to stderr; results (JSON, tables) to stdout, so they can be piped. */
export const note = (text: string) => process.stderr.write(`${text}\n`);
