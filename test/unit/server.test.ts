/**
 * `ganvas serve` with many clients: events to all of them, back-pressure on file streams, and
 * clients that vanish in the middle of things (with a stand-in engine; test/unit/server-engine
 * runs the real one).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RemoteEngine } from '../../src-main/remote/client';
import { TRANSFER_FOLDER } from '../../src-main/server/transfers';
import { testServer, until } from '../helpers/server';

type TestServer = Awaited<ReturnType<typeof testServer>>;
let current: TestServer | null = null;
const clients: RemoteEngine[] = [];
afterEach(async () => {
  clients.splice(0).forEach((c) => c.close());
  await current?.close();
  current = null;
});
const start = async (options?: Parameters<typeof testServer>[0]) => (current = await testServer(options));
const connect = async (s: TestServer) => {
  const client = await RemoteEngine.connect(s.url, s.token, { reconnect: false });
  clients.push(client);
  return client;
};

/** A file of `mb` MiB of random bytes under the server's exports folder. */
function exportFile(root: string, name: string, mb: number): { rel: string; bytes: Buffer } {
  const rel = `${TRANSFER_FOLDER}/exports/${name}`;
  const bytes = crypto.randomBytes(mb * 1024 * 1024);
  fs.writeFileSync(path.join(root, rel), bytes);
  return { rel, bytes };
}

describe('many clients', () => {
  it('should send every engine event to every authenticated client, and nothing local to the desktop', async () => {
    const s = await start();
    const many = await Promise.all(Array.from({ length: 6 }, () => connect(s)));
    const seen = many.map(() => [] as string[]);
    many.forEach((c, i) => c.on((name) => seen[i].push(name)));
    expect(s.server.clients()).toBe(6);
    s.standIn.emit('training.status', { dir: '/x', state: 'running', step: 3 });
    s.standIn.emit('app.command', { command: 'new-project' });
    s.standIn.emit('training.metrics', { dir: '/x', rows: [] });
    await until(() => seen.every((names) => names.length === 2), 'events at every client');
    expect(seen).toEqual(many.map(() => ['training.status', 'training.metrics']));
  });

  it("should answer each client's calls to it alone, however they interleave", async () => {
    const s = await start();
    const many = await Promise.all(Array.from({ length: 5 }, () => connect(s)));
    const answers = await Promise.all(many.flatMap((c, i) => Array.from({ length: 20 }, (_, j) => c.call('ping', { t: i * 100 + j }))));
    expect(answers).toEqual(many.flatMap((_, i) => Array.from({ length: 20 }, (_, j) => ({ t: i * 100 + j }))));
  });

  it('should refuse the desktop-only dialogs remotely', async () => {
    const s = await start();
    const client = await connect(s);
    await expect(client.call('chooseSaveFile', {})).rejects.toThrow(expect.objectContaining({ code: 'refused', message: expect.stringMatching(/remote engine has no dialogs/) }));
    await expect(client.call('connectEngine', { url: 'ws://x:1' })).rejects.toThrow(/no dialogs/);
    await expect(client.call('formatDisk', {})).rejects.toThrow(/Unknown method formatDisk/);
    expect(s.standIn.call).not.toHaveBeenCalled();
  });
});

describe('back-pressure', () => {
  it('should stop streaming to a client that stops reading, and go on when it reads again', async () => {
    const s = await start();
    const { rel, bytes } = exportFile(s.root, 'big.gif', 48);
    const client = await connect(s);
    // The client stops reading its socket: the kernel's buffers fill, then the server's would.
    client.socket.pause();
    let done = false;
    const download = client.download(rel).finally(() => (done = true));
    await until(() => s.server.stats().peakQueuedBytes > 0, 'the server to start sending');
    await new Promise((r) => setTimeout(r, 1500));
    expect(done).toBe(false);
    // Without pacing all 48 MB would sit in the server's memory; with it, about one high-water mark.
    const bound = 4 * 1024 * 1024 + 1024 * 1024 + 1024;
    expect(s.server.stats().peakQueuedBytes).toBeLessThanOrEqual(bound);
    client.socket.resume();
    const received = await download;
    expect(received.length).toBe(bytes.length);
    expect(crypto.createHash('sha256').update(received).digest('hex')).toBe(crypto.createHash('sha256').update(bytes).digest('hex'));
    expect(s.server.stats().peakQueuedBytes).toBeLessThanOrEqual(bound);
  });

  it('should let go of a client that stops reading while events pile up for it', async () => {
    const s = await start({ limits: { slowClientBytes: 256 * 1024 } });
    const slow = await connect(s);
    const fine = await connect(s);
    let fineSeen = 0;
    fine.on(() => fineSeen++);
    slow.socket.pause();
    // ~0.5 MB an event: the kernel's socket buffers (a few MB on loopback) fill first, then the server's queue.
    const payload = { dir: '/x', rows: Array.from({ length: 12_000 }, (_, step) => ({ step, dLoss: 1, gLoss: 1 })) };
    for (let i = 0; i < 200 && s.server.clients() === 2; i++) {
      s.standIn.emit('training.metrics', payload);
      await new Promise((r) => setTimeout(r, 20));
    }
    await until(() => s.server.clients() === 1, 'the slow client to be dropped');
    expect(s.log.some((l) => /stopped reading/.test(l))).toBe(true);
    await until(() => fineSeen > 0, 'the reading client to get events');
    await expect(fine.call('ping', { t: 1 })).resolves.toEqual({ t: 1 });
  });
});

describe('a client that vanishes', () => {
  it('should not break the server in the middle of a download', async () => {
    const s = await start();
    const { rel } = exportFile(s.root, 'gone.gif', 32);
    const leaving = await connect(s);
    leaving.socket.pause();
    const download = leaving.download(rel).catch((err: Error) => err);
    await until(() => s.server.stats().peakQueuedBytes > 0, 'the download to start');
    leaving.socket.terminate();
    expect(await download).toBeInstanceOf(Error);
    await until(() => s.server.clients() === 0, 'the server to see it gone');
    const next = await connect(s);
    await expect(next.call('ping', { t: 9 })).resolves.toEqual({ t: 9 });
    const again = await next.download(rel);
    expect(again.length).toBe(32 * 1024 * 1024);
  });
});
