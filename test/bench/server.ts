/**
 * `ganvas serve` over loopback: round-trip latency of `ping` and of a 64-image `generate` (the
 * MNIST preset, untrained: speed does not depend on what G learned) through the WebSocket, next
 * to the same calls made on the engine directly, interleaved A/B so both see the same machine
 * load. The difference is what the wire costs (framing, JSON, base64 PNGs, the socket).
 * Run alone: `npx tsx test/bench/server.ts`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createEngine } from '../../src-main/engine/api/engine-api';
import { RemoteEngine } from '../../src-main/remote/client';
import { newToken } from '../../src-main/server/auth';
import { RootGuard } from '../../src-main/server/root-guard';
import { startServer } from '../../src-main/server/server';

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const ms = (x: number) => Number(x.toFixed(3));
const summary = (xs: number[]) => ({ p50Ms: ms(percentile(xs, 50)), p99Ms: ms(percentile(xs, 99)), maxMs: ms(Math.max(...xs)) });

export async function benchServer(opts: { quick?: boolean } = {}) {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ganvas-bench-serve-')));
  const guard = new RootGuard(root);
  const engine = createEngine({ stateDir: path.join(root, '.ganvas', 'state'), guard });
  const token = newToken();
  const server = await startServer({ engine, guard, token, port: 0 });
  const client = await RemoteEngine.connect(server.url, token, { reconnect: false });
  try {
    await engine.api.createProject({ dir: path.join(root, 'digits'), dataset: { kind: 'mnist' } });
    const pings = { remote: [] as number[], direct: [] as number[] };
    for (let i = 0; i < (opts.quick ? 100 : 500); i++) {
      let t = performance.now();
      await client.call('ping', { t });
      pings.remote.push(performance.now() - t);
      t = performance.now();
      await engine.call('ping', { t });
      pings.direct.push(performance.now() - t);
    }
    const generate = { remote: [] as number[], direct: [] as number[] };
    const request = { dir: 'digits', count: 64, seed: 1 };
    let bytes = 0;
    await client.call('generate', request); // warm-up: the compute host starts and loads the model
    for (let i = 0; i < (opts.quick ? 3 : 10); i++) {
      let t = performance.now();
      const batch = await client.call('generate', { ...request, seed: i });
      generate.remote.push(performance.now() - t);
      bytes = JSON.stringify(batch).length;
      t = performance.now();
      await engine.call('generate', { ...request, dir: path.join(root, 'digits'), seed: i });
      generate.direct.push(performance.now() - t);
    }
    return {
      transport: 'ws over loopback, one connection',
      ping: { calls: pings.remote.length, remote: summary(pings.remote), direct: summary(pings.direct) },
      generate64: {
        calls: generate.remote.length,
        resultBytes: bytes,
        remote: summary(generate.remote),
        direct: summary(generate.direct),
        /** Median remote / median direct: the wire's share of a generate call. */
        remoteOverDirect: Number((percentile(generate.remote, 50) / percentile(generate.direct, 50)).toFixed(3)),
      },
    };
  } finally {
    client.close();
    await server.close();
    await engine.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchServer({ quick: process.argv.includes('--quick') }).then(
    (r) => {
      console.log(JSON.stringify(r, null, 2));
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
