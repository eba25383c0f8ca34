/** A `ganvas serve` in the test process on a free loopback port, over a temp root, with a stand-in engine by default. */
import { vi } from 'vitest';
import { newToken } from '../../src-main/server/auth';
import { RootGuard } from '../../src-main/server/root-guard';
import { startServer, type ServerOptions } from '../../src-main/server/server';
import type { ApiEventName, ApiMethod } from '../../src-main/shared/contract';
import { tempDir } from './projects';

/** The engine as a server sees it: `ping` answers, everything else echoes; events sent with `emit`. */
export function standInEngine() {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const call = vi.fn(async (name: ApiMethod, payload: unknown) => (name === 'ping' ? payload : { called: name, payload }));
  return {
    call,
    on: vi.fn((event: ApiEventName, listener: (payload: never) => void) => {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(listener as (payload: unknown) => void);
      return () => listeners.get(event)?.delete(listener as (payload: unknown) => void);
    }),
    emit: (event: ApiEventName, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload)),
  };
}

export async function testServer(options: { engine?: ServerOptions['engine']; limits?: ServerOptions['limits']; root?: string } = {}) {
  const guard = new RootGuard(options.root ?? tempDir('ganvas-root-'));
  const token = newToken();
  const standIn = standInEngine();
  const log: string[] = [];
  const server = await startServer({
    engine: options.engine ?? standIn,
    guard,
    token,
    port: 0,
    limits: options.limits,
    log: (line) => log.push(line),
  });
  return { server, url: server.url, port: server.port, root: guard.root, token, standIn, log, close: () => server.close() };
}

/** Resolves when `check` holds, polling (no fixed sleeps that a busy machine could outrun). */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
