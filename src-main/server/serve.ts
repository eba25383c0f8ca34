/**
 * `ganvas serve` put together: the root guard, the engine (compute in forked processes, so a
 * training run never holds up the socket), the token, the WebSocket server; then it serves until
 * SIGINT/SIGTERM, when it stops its runs cleanly (each writes a checkpoint) and exits.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngine } from '../engine/api/engine-api';
import { loadOrCreateToken } from './auth';
import { serverInfo } from './info';
import { RootGuard } from './root-guard';
import { startServer, type RunningServer } from './server';
import { TRANSFER_FOLDER } from './transfers';

export interface ServeOptions {
  root: string;
  host: string;
  port: number;
  tokenFile?: string;
  tls?: { cert: string; key: string };
  /** Where lines for the person running it go (stdout). */
  print(line: string): void;
  /** Where connection notes go (stderr). */
  log(line: string): void;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export const defaultTokenFile = () => path.join(os.homedir(), '.ganvas', 'server.token');

/** Starts serving; resolves with the running server and a `stop` that ends it and its engine. */
export async function serve(options: ServeOptions): Promise<{ server: RunningServer; stop(): Promise<void> }> {
  const guard = new RootGuard(options.root);
  const tokenFile = path.resolve(options.tokenFile ?? defaultTokenFile());
  const { token, created } = loadOrCreateToken(tokenFile);
  const tls = options.tls && { cert: fs.readFileSync(options.tls.cert), key: fs.readFileSync(options.tls.key) };
  const engine = createEngine({ stateDir: path.join(guard.root, TRANSFER_FOLDER, 'state'), guard });
  let server: RunningServer;
  try {
    server = await startServer({
      engine,
      guard,
      token,
      host: options.host,
      port: options.port,
      tls,
      info: await serverInfo(guard.root),
      log: options.log,
    });
  } catch (err) {
    await engine.dispose();
    throw err;
  }
  options.print(`Ganvas engine serving ${guard.root}`);
  options.print(`  url:   ${server.url}`);
  options.print(`  token: ${token}`);
  options.print(`  token file: ${tokenFile} (${created ? 'new' : 'kept'}, mode 600)`);
  if (!LOOPBACK.has(options.host) && !tls) {
    options.log(
      `Warning: listening on ${options.host} without TLS: the token and your images cross the network unencrypted. Use --tls-cert/--tls-key, or keep the default 127.0.0.1 and an SSH tunnel (docs/server.md).`,
    );
  }
  return {
    server,
    async stop() {
      await server.close();
      await engine.dispose();
    },
  };
}
