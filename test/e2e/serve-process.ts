/**
 * `ganvas serve` as a separate process for the remote-engine spec, and a TCP relay in front of
 * it whose connections the spec can cut (a dropped network, as the desktop would see it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';

export interface ServeProcess {
  url: string;
  port: number;
  root: string;
  token: string;
  stop(): Promise<void>;
}

/** Starts `ganvas serve --root <dir>/root --port 0` from source and waits for its address. */
export async function startServe(dir: string): Promise<ServeProcess> {
  const root = join(dir, 'root');
  mkdirSync(root, { recursive: true });
  const tokenFile = join(dir, 'server.token');
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'src-main/cli/index.ts', 'serve', '--root', root, '--port', '0', '--token-file', tokenFile],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`ganvas serve did not start within 60 s:\n${output}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /url:\s+(ws:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`ganvas serve exited (${code}):\n${output}`)));
  });
  return {
    url,
    port: Number(new URL(url).port),
    root,
    token: readFileSync(tokenFile, 'utf8').trim(),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface CuttableRelay {
  url: string;
  /** Drops every connection through the relay and refuses new ones until `restore()`. */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/** A TCP relay to `port` on loopback whose connections can be cut. */
export async function cuttableRelay(port: number): Promise<CuttableRelay> {
  const sockets = new Set<net.Socket>();
  let refusing = false;
  const server = net.createServer((client) => {
    if (refusing) return client.destroy();
    const upstream = net.connect(port, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const relayPort = (server.address() as net.AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${relayPort}`,
    cut() {
      refusing = true;
      for (const s of sockets) s.destroy();
    },
    restore() {
      refusing = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
