/** The server's token: made at random, kept private on disk, compared in constant time. */
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { RemoteEngine } from '../../src-main/remote/client';
import { loadOrCreateToken, newToken, tokenMatches } from '../../src-main/server/auth';
import { tempDir } from '../helpers/projects';
import { testServer } from '../helpers/server';

// Watch node:crypto's constant-time comparison, keeping its real behaviour.
const timingSafeEqual = vi.hoisted(() => ({ spy: null as unknown as ReturnType<typeof vi.fn> }));
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  timingSafeEqual.spy = vi.fn(real.timingSafeEqual);
  return { ...real, timingSafeEqual: timingSafeEqual.spy, default: { ...real, timingSafeEqual: timingSafeEqual.spy } };
});

beforeEach(() => {
  timingSafeEqual.spy.mockClear();
});

describe('token', () => {
  it('should be 256 random bits, base64url', () => {
    const a = newToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newToken()).not.toBe(a);
  });

  it('should be compared with crypto.timingSafeEqual on equal-length digests, whatever the guess', () => {
    const token = newToken();
    expect(tokenMatches(token, token)).toBe(true);
    expect(tokenMatches(token, token.slice(0, -1))).toBe(false);
    expect(tokenMatches(token, `${token}and more`)).toBe(false);
    expect(tokenMatches(token, '')).toBe(false);
    expect(timingSafeEqual.spy).toHaveBeenCalledTimes(4);
    for (const [a, b] of timingSafeEqual.spy.mock.calls as [Buffer, Buffer][]) expect([a.length, b.length]).toEqual([32, 32]);
  });

  it('should go through the constant-time comparison when a client authenticates', async () => {
    const server = await testServer();
    const client = await RemoteEngine.connect(server.url, server.token, { reconnect: false });
    expect(timingSafeEqual.spy).toHaveBeenCalledTimes(1);
    client.close();
    await server.close();
  });

  it('should be written to a new file readable only by its owner, and kept across restarts', () => {
    const file = path.join(tempDir(), 'deep', 'server.token');
    const first = loadOrCreateToken(file);
    expect(first.created).toBe(true);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(first.token);
    expect(loadOrCreateToken(file)).toEqual({ token: first.token, created: false });
  });

  it('should refuse a token file others can read, and one too short to be a token', () => {
    const dir = tempDir();
    const open = path.join(dir, 'open.token');
    fs.writeFileSync(open, `${newToken()}\n`, { mode: 0o644 });
    fs.chmodSync(open, 0o644);
    expect(() => loadOrCreateToken(open)).toThrow(/can be read or changed by other users: run chmod 600/);
    const short = path.join(dir, 'short.token');
    fs.writeFileSync(short, 'hunter2\n', { mode: 0o600 });
    expect(() => loadOrCreateToken(short)).toThrow(/at least 32 characters/);
  });
});
