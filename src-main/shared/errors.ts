/**
 * Errors with a code, so callers act on what went wrong rather than on a message's wording.
 * Codes survive every transport (worker IPC, Electron IPC, the e2e bridge): a transport sends
 * `toWire(error)` and the receiving side rebuilds the error with `fromWire(message)`.
 */

export const ERROR_CODES = [
  /** The request itself is wrong: a bad payload, an impossible option. */
  'invalid',
  /** A project, checkpoint, sample or concept that is not there. */
  'not-found',
  /** A file that exists but cannot be trusted (torn, truncated, inconsistent). */
  'damaged',
  /** The user (or the app closing) stopped the work. */
  'cancelled',
  /** Something else holds the resource: a run already training, an evaluation running. */
  'busy',
  /** Not allowed: a path the user did not grant, a disk that is full. */
  'refused',
  /** Anything unexpected; the message says what happened. */
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class GanvasError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** For 'invalid': the payload field at fault ("options.fps"), so a door can name it its own way (a CLI flag). */
    readonly field?: string,
    /** For 'invalid': the schema's own words, without the method and field. */
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'GanvasError';
  }
}

export const invalid = (message: string) => new GanvasError('invalid', message);
export const notFound = (message: string) => new GanvasError('not-found', message);
export const damaged = (message: string) => new GanvasError('damaged', message);
export const cancelled = (message = 'Cancelled') => new GanvasError('cancelled', message);
export const busy = (message: string) => new GanvasError('busy', message);
export const refused = (message: string) => new GanvasError('refused', message);

export const isCancelled = (error: unknown): boolean => errorCode(error) === 'cancelled';

/**
 * The code of anything thrown: GanvasError's own; 'cancelled' for the AbortError of an aborted
 * signal (AbortSignal.throwIfAborted, fetch, streams: the dataset import uses them); 'internal'
 * for everything else.
 */
export function errorCode(error: unknown): ErrorCode {
  if (error instanceof GanvasError) return error.code;
  return error instanceof Error && error.name === 'AbortError' ? 'cancelled' : 'internal';
}

const WIRE = /^\[ganvas:([a-z-]+)\] /;
// Electron's ipcRenderer.invoke rejects with "Error invoking remote method 'channel': Error: msg"
// (main's err.toString()); only "msg" is meant for the person using the app.
const IPC_PREFIX = /^Error invoking remote method '[^']*': (?:[A-Za-z]*Error: )?/;

/** An Error whose message carries the code, for transports that keep only messages. */
export function toWire(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  return new Error(`[ganvas:${errorCode(error)}] ${message}`);
}

/** Rebuilds what `toWire` sent (or any other error) as a GanvasError with a readable message. */
export function fromWire(error: unknown): GanvasError {
  if (error instanceof GanvasError) return error;
  const raw = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  const stripped = raw.replace(IPC_PREFIX, '').trim();
  const match = WIRE.exec(stripped);
  const code = match && (ERROR_CODES as readonly string[]).includes(match[1]) ? (match[1] as ErrorCode) : 'internal';
  const message = (match ? stripped.slice(match[0].length) : stripped).trim();
  return new GanvasError(code, message || 'Something went wrong (no details were given).');
}

/** The message of anything thrown by an API call, without transport noise or code tag. */
export function readableMessage(error: unknown): string {
  return fromWire(error).message;
}
