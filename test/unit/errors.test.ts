/**
 * Error codes across transports: an error keeps its code and message whatever carries it
 * (worker IPC, Electron's ipcMain/ipcRenderer, the preload's contextBridge, the e2e bridge).
 */
import { describe, expect, it } from 'vitest';
import {
  ERROR_CODES,
  GanvasError,
  busy,
  cancelled,
  damaged,
  errorCode,
  fromWire,
  invalid,
  isCancelled,
  notFound,
  readableMessage,
  refused,
  toWire,
  type ErrorCode,
} from '../../src-main/shared/errors';

/** What Electron's ipcRenderer.invoke rejects with when the main-process handler throws `error`. */
const throughElectron = (channel: string, error: Error) => new Error(`Error invoking remote method '${channel}': ${String(error)}`);

describe('GanvasError', () => {
  it('should make one error per code with its helper, and call anything else internal', () => {
    const made: [GanvasError, ErrorCode][] = [
      [invalid('a'), 'invalid'],
      [notFound('b'), 'not-found'],
      [damaged('c'), 'damaged'],
      [cancelled(), 'cancelled'],
      [busy('e'), 'busy'],
      [refused('f'), 'refused'],
    ];
    for (const [error, code] of made) {
      expect(error).toBeInstanceOf(GanvasError);
      expect(error).toBeInstanceOf(Error);
      expect(errorCode(error)).toBe(code);
    }
    expect(cancelled().message).toBe('Cancelled');
    expect(errorCode(new Error('x'))).toBe('internal');
    expect(errorCode('a string')).toBe('internal');
    expect(errorCode(undefined)).toBe('internal');
    expect(isCancelled(cancelled('Export cancelled'))).toBe(true);
    expect(isCancelled(new Error('cancelled'))).toBe(false); // by code, never by wording
    // An aborted signal's own error (the dataset import stops with signal.throwIfAborted()).
    const controller = new AbortController();
    controller.abort();
    const aborted = (() => {
      try {
        controller.signal.throwIfAborted();
      } catch (error) {
        return error;
      }
    })();
    expect(errorCode(aborted)).toBe('cancelled');
    expect(fromWire(toWire(aborted)).code).toBe('cancelled');
  });
});

describe('toWire / fromWire', () => {
  it('should round-trip every code and message', () => {
    for (const code of ERROR_CODES) {
      const original = new GanvasError(code, `something about ${code}: with [brackets] and a\nsecond line`);
      const wire = toWire(original);
      expect(wire).toBeInstanceOf(Error);
      expect(wire).not.toBeInstanceOf(GanvasError); // plain Error: what transports keep is its message
      const back = fromWire(wire);
      expect(back).toBeInstanceOf(GanvasError);
      expect(back.code).toBe(code);
      expect(back.message).toBe(original.message.trim());
    }
  });

  it('should strip Electron\'s "Error invoking remote method" prefix and keep the code', () => {
    const channel = 'ganvas:invoke:openProject';
    const received = throughElectron(channel, toWire(notFound('/p is not a Ganvas project (no project.json)')));
    expect(received.message).toBe(
      "Error invoking remote method 'ganvas:invoke:openProject': Error: [ganvas:not-found] /p is not a Ganvas project (no project.json)",
    );
    const back = fromWire(received);
    expect([back.code, back.message]).toEqual(['not-found', '/p is not a Ganvas project (no project.json)']);
    expect(readableMessage(received)).toBe('/p is not a Ganvas project (no project.json)');
    // The preload re-sends it in wire form (contextBridge passes only the message): still the same.
    expect(fromWire(toWire(back))).toEqual(back);
    expect(toWire(back).message).toBe('[ganvas:not-found] /p is not a Ganvas project (no project.json)');
  });

  it('should read an error without a code (a TypeError, a bare string) as internal with its message', () => {
    const fromMain = throughElectron('ganvas:invoke:ping', new TypeError('x is undefined'));
    expect(fromWire(fromMain)).toMatchObject({ code: 'internal', message: 'x is undefined' });
    expect(fromWire(new RangeError('index 9 out of range'))).toMatchObject({ code: 'internal', message: 'index 9 out of range' });
    expect(fromWire('plain text')).toMatchObject({ code: 'internal', message: 'plain text' });
    expect(fromWire(toWire(new Error('boom')))).toMatchObject({ code: 'internal', message: 'boom' });
  });

  it('should read an unknown code tag as internal (the tag stripped), and never give an empty message', () => {
    expect(fromWire(new Error('[ganvas:exploded] it broke'))).toMatchObject({ code: 'internal', message: 'it broke' });
    expect(fromWire(new Error(''))).toMatchObject({ code: 'internal', message: expect.stringMatching(/no details/) });
    expect(fromWire(undefined).message).toMatch(/no details/);
    expect(fromWire(null).code).toBe('internal');
  });

  it('should return a GanvasError as it is', () => {
    const error = busy('An evaluation is already running');
    expect(fromWire(error)).toBe(error);
  });
});
