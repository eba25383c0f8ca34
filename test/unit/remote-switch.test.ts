/**
 * The desktop's engine switch against a real `ganvas serve` (with a stand-in engine): connecting
 * and remembering, calls and events going to the server, an image folder uploaded (and resumed
 * after a drop) for a new project, and a remote export downloaded to the path the user chose;
 * the local path grants still decide which local files take part.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PathGrants } from '../../src-main/engine/api/engine-api';
import { RemoteEngine } from '../../src-main/remote/client';
import { EngineSwitch } from '../../src-main/remote/engine-switch';
import { KnownEngines, type TokenCipher } from '../../src-main/remote/known-engines';
import type { ApiMethod } from '../../src-main/shared/contract';
import type { EngineConnection } from '../../src-main/shared/types';
import { fakeEngine } from '../helpers/fake-engine';
import { tempDir } from '../helpers/projects';
import { standInEngine, testServer, until } from '../helpers/server';

/** Stands in for the OS keychain: reversible, and never the plain token on disk. */
const testCipher: TokenCipher = {
  available: () => true,
  encrypt: (s) => Buffer.from(Buffer.from(s).map((b) => b ^ 0x5a)),
  decrypt: (b) => Buffer.from(b.map((x) => x ^ 0x5a)).toString(),
};

type TestServer = Awaited<ReturnType<typeof testServer>>;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A server whose stand-in engine writes an export where asked and answers createProject with what it got. */
async function serverWithFiles(): Promise<TestServer> {
  const standIn = standInEngine();
  let root = '';
  standIn.call.mockImplementation(async (name: ApiMethod, payload: unknown) => {
    const p = payload as Record<string, never>;
    if (name === 'ping') return p;
    if (name === 'exportWalk') {
      const file = path.join(root, (p.options as { out: string }).out);
      fs.writeFileSync(file, Buffer.from('GIF89a-remote-bytes'));
      return { file, format: 'gif', frames: 1, width: 1, height: 1, bytes: 19, seconds: 0 };
    }
    return { called: name, payload };
  });
  const s = await testServer({ engine: standIn });
  root = s.root;
  cleanups.push(() => s.close());
  return { ...s, standIn };
}

function makeSwitch(options: { confirm?: boolean; connect?: (url: string, token: string) => Promise<RemoteEngine> } = {}) {
  const local = fakeEngine();
  const grants = new PathGrants({ confirm: async () => options.confirm ?? false });
  const known = new KnownEngines(path.join(tempDir('ganvas-known-'), 'engines.json'), testCipher);
  const sw = new EngineSwitch({ local: local.engine, guard: grants, known, connect: options.connect });
  const connections: EngineConnection[] = [];
  sw.on('engine.connection', (c) => connections.push(c));
  cleanups.push(() => sw.close());
  return { sw, local, grants, known, connections };
}

/** A folder of `count` fake images of `bytes` each (the scan goes by extension; the stand-in engine decodes nothing). */
function imageFolder(count: number, bytes: number): string {
  const dir = tempDir('ganvas-upload-');
  for (let i = 0; i < count; i++) {
    fs.mkdirSync(path.join(dir, i % 2 ? 'cats' : 'dogs'), { recursive: true });
    fs.writeFileSync(path.join(dir, i % 2 ? 'cats' : 'dogs', `img-${i}.png`), crypto.randomBytes(bytes));
  }
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'not an image: stays home');
  return dir;
}

describe('connecting', () => {
  it('should start local, refuse a wrong token and stay local', async () => {
    const s = await serverWithFiles();
    const { sw, local, connections } = makeSwitch();
    await sw.call('ping', { t: 1 });
    expect(local.handled).toHaveBeenCalledWith('ping', { t: 1 });
    await expect(sw.call('connectEngine', { url: s.url, token: 'wrong-token' })).rejects.toThrow(/refused the token/);
    expect(sw.connection).toEqual({ mode: 'local', state: 'connected' });
    expect(connections.map((c) => c.state)).toEqual(['connecting', 'connected']);
    expect(s.standIn.call).not.toHaveBeenCalled();
  });

  it('should send calls and take events from the server once connected, and remember it', async () => {
    const s = await serverWithFiles();
    const { sw, local, known } = makeSwitch();
    const status = (await sw.call('connectEngine', { url: s.url.replace('ws://', ''), token: s.token })) as EngineConnection;
    expect(status).toMatchObject({ mode: 'remote', state: 'connected', url: s.url, server: { root: s.root } });
    await expect(sw.call('ping', { t: 7 })).resolves.toEqual({ t: 7 });
    expect(local.handled).not.toHaveBeenCalled();
    const seen: unknown[] = [];
    sw.on('training.status', (st) => seen.push(st));
    s.standIn.emit('training.status', { dir: '/srv/x', state: 'running' });
    await until(() => seen.length === 1, 'the server event');

    expect(known.list()).toEqual([{ url: s.url, hasToken: true, lastUsed: expect.any(String) }]);
    expect(fs.readFileSync((known as unknown as { file: string }).file, 'utf8')).not.toContain(s.token);
    // Back to local, then again by address alone: the token comes from the keychain.
    await sw.call('disconnectEngine', {});
    await sw.call('ping', { t: 2 });
    expect(local.handled).toHaveBeenCalledWith('ping', { t: 2 });
    await until(() => s.server.clients() === 0, 'the server to see the client go');
    await expect(sw.call('connectEngine', { url: s.url })).resolves.toMatchObject({ state: 'connected' });
    await sw.call('forgetEngine', { url: s.url });
    expect(known.list()).toEqual([]);
  });

  it('should say when the connection drops and when it is back', async () => {
    const s = await serverWithFiles();
    let client: RemoteEngine | null = null;
    const { sw, connections } = makeSwitch({
      connect: async (url, token) => (client = await RemoteEngine.connect(url, token, { maxBackoffMs: 200 })),
    });
    await sw.call('connectEngine', { url: s.url, token: s.token });
    client!.socket.terminate();
    await until(() => connections.at(-1)?.reconnected === true, 'the reconnection');
    expect(connections.map((c) => c.state)).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
    await expect(sw.call('ping', { t: 3 })).resolves.toEqual({ t: 3 });
  });
});

describe('a new project from a local image folder', () => {
  it('should refuse a folder the user did not choose, before uploading anything', async () => {
    const s = await serverWithFiles();
    const { sw } = makeSwitch({ confirm: false });
    await sw.call('connectEngine', { url: s.url, token: s.token });
    const folder = imageFolder(2, 100);
    await expect(sw.call('createProject', { dir: 'pets', dataset: { kind: 'folder', path: folder } })).rejects.toThrow(/needs your confirmation/);
    expect(fs.readdirSync(path.join(s.root, '.ganvas/uploads'))).toEqual([]);
  });

  it('should upload the images with progress, name the server copy in the call, and clear it afterwards', async () => {
    const s = await serverWithFiles();
    const { sw, grants } = makeSwitch();
    await sw.call('connectEngine', { url: s.url, token: s.token });
    const folder = imageFolder(6, 5000);
    grants.grantFolder(folder);
    const progress: unknown[] = [];
    sw.on('import.progress', (p) => progress.push(p));
    let uploaded: string[] = [];
    s.standIn.call.mockImplementationOnce(async (_name: ApiMethod, payload: unknown) => {
      const dataset = (payload as { dataset: { path: string } }).dataset;
      uploaded = fs.readdirSync(dataset.path, { recursive: true }).map(String).sort();
      expect(fs.readFileSync(path.join(dataset.path, 'dogs/img-0.png'))).toEqual(fs.readFileSync(path.join(folder, 'dogs/img-0.png')));
      return { dir: path.join(s.root, 'pets') };
    });
    await expect(sw.call('createProject', { dir: 'pets', dataset: { kind: 'folder', path: folder } })).resolves.toEqual({ dir: path.join(s.root, 'pets') });
    expect(uploaded).toEqual(['cats', 'cats/img-1.png', 'cats/img-3.png', 'cats/img-5.png', 'dogs', 'dogs/img-0.png', 'dogs/img-2.png', 'dogs/img-4.png']);
    expect(progress.at(-1)).toMatchObject({ phase: 'upload', done: 6, total: 6 });
    expect(fs.readdirSync(path.join(s.root, '.ganvas/uploads'))).toEqual([]);
  });

  it('should share one upload between two calls that name the same folder at once, and remove it after both', async () => {
    const s = await serverWithFiles();
    const { sw, grants } = makeSwitch();
    await sw.call('connectEngine', { url: s.url, token: s.token });
    const folder = imageFolder(6, 5000);
    grants.grantFolder(folder);
    const seen: string[] = [];
    s.standIn.call.mockImplementation(async (_name: ApiMethod, payload: unknown) => {
      const dataset = (payload as { dataset: { path: string } }).dataset;
      seen.push(fs.readdirSync(dataset.path, { recursive: true }).map(String).sort().join(','));
      return { dir: path.join(s.root, 'pets') };
    });
    const call = () => sw.call('createProject', { dir: 'pets', dataset: { kind: 'folder', path: folder } });
    await expect(Promise.all([call(), call()])).resolves.toHaveLength(2);
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBe(seen[1]);
    expect(seen[0].split(',')).toHaveLength(8);
    expect(fs.readdirSync(path.join(s.root, '.ganvas/uploads'))).toEqual([]);
  });

  it('should resume an upload after the connection drops, sending only what the server lacks', async () => {
    const s = await serverWithFiles();
    let client: RemoteEngine | null = null;
    const offsets: number[] = [];
    let cut = false;
    const { sw, grants } = makeSwitch({
      connect: async (url, token) => {
        client = await RemoteEngine.connect(url, token, { maxBackoffMs: 200 });
        const send = client.sendChunk.bind(client);
        client.sendChunk = vi.fn(async (header, bytes) => {
          offsets.push(header.offset);
          const written = await send(header, bytes);
          // Cut the socket once, after the server has two and a half megabytes of the first file.
          if (!cut && written >= 2 * 1024 * 1024) {
            cut = true;
            client!.socket.terminate();
          }
          return written;
        });
        return client;
      },
    });
    await sw.call('connectEngine', { url: s.url, token: s.token });
    const folder = imageFolder(2, 5 * 1024 * 1024);
    grants.grantFolder(folder);
    await sw.call('createProject', { dir: 'big', dataset: { kind: 'folder', path: folder } });
    expect(cut).toBe(true);
    // 10 MB in 1 MB chunks: a restart from zero would send well over 10 chunks; a resume at most a window more.
    expect(offsets.length).toBeLessThanOrEqual(10 + 4);
    const call = s.standIn.call.mock.calls.find(([name]) => name === 'createProject')!;
    expect((call[1] as { dataset: { path: string } }).dataset.path).toMatch(/\.ganvas\/uploads\/[0-9a-f]{32}$/);
  });
});

describe('a remote export', () => {
  it('should write on the server, then download to the path the save dialog granted, and to no other', async () => {
    const s = await serverWithFiles();
    const { sw, grants } = makeSwitch();
    await sw.call('connectEngine', { url: s.url, token: s.token });
    const out = path.join(tempDir(), 'walk.gif');
    const request = {
      dir: 'digits',
      spec: { kind: 'path', endpoints: [{ kind: 'seed', seed: 1 }, { kind: 'seed', seed: 2 }], mode: 'linear', framesPerSegment: 2 },
      options: { format: 'gif', out, fps: 10, scale: 1 },
    };
    await expect(sw.call('exportWalk', request)).rejects.toThrow(/Choose where to save with the Save dialog/);
    expect(s.standIn.call).not.toHaveBeenCalled();

    grants.grantSave(out);
    const result = (await sw.call('exportWalk', request)) as { file: string };
    expect(result.file).toBe(out);
    expect(fs.readFileSync(out, 'utf8')).toBe('GIF89a-remote-bytes');
    const sent = s.standIn.call.mock.calls.at(-1)![1] as { options: { out: string } };
    expect(sent.options.out).toMatch(/^\.ganvas\/exports\/[0-9a-f-]{36}\.gif$/);
    expect(fs.readdirSync(path.join(s.root, '.ganvas/exports'))).toEqual([]);
  });
});
