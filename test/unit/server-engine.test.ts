/**
 * `ganvas serve` in front of the real engine: the root is the whole path rule, an export whose
 * client vanished is cancelled without harm to anyone else, and a training run outlives the
 * client that started it.
 */
import fs from 'node:fs';
import path from 'node:path';
import omggif from 'omggif';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type EngineHost } from '../../src-main/engine/api/engine-api';
import { selectBackend } from '../../src-main/engine/backend';
import { Project } from '../../src-main/engine/project/project';
import { Trainer } from '../../src-main/engine/train/trainer';
import { RemoteEngine } from '../../src-main/remote/client';
import { RootGuard } from '../../src-main/server/root-guard';
import { TRANSFER_FOLDER } from '../../src-main/server/transfers';
import type { ExportProgress, TrainingStatus, WalkSpec } from '../../src-main/shared/types';
import { tempDir, tinyMnistProject } from '../helpers/projects';
import { testServer, until } from '../helpers/server';

let engine: EngineHost;
let server: Awaited<ReturnType<typeof testServer>>;
let root: string;
const open: RemoteEngine[] = [];
const connect = async () => {
  const c = await RemoteEngine.connect(server.url, server.token, { reconnect: false });
  open.push(c);
  return c;
};

beforeAll(async () => {
  root = fs.realpathSync(tempDir('ganvas-root-'));
  const dir = path.join(root, 'digits');
  fs.renameSync(await tinyMnistProject(), dir);
  const trainer = Trainer.open(Project.open(dir), await selectBackend('wasm'));
  await trainer.run({ untilStep: 4 }, { stopRequested: () => false, whilePaused: async () => undefined });
  trainer.dispose();
  engine = createEngine({ stateDir: tempDir('ganvas-state-'), guard: new RootGuard(root) });
  server = await testServer({ engine, root });
});

afterAll(async () => {
  open.forEach((c) => c.close());
  await server.close();
  await engine.dispose();
});

const spec: WalkSpec = { kind: 'path', endpoints: [{ kind: 'seed', seed: 1 }, { kind: 'seed', seed: 2 }], mode: 'slerp', framesPerSegment: 4 };

describe('the root folder', () => {
  it('should refuse a path outside the root with a clear message that does not say whether it exists', async () => {
    const client = await connect();
    const outside = tempDir('ganvas-outside-');
    const messages: string[] = [];
    for (const dir of [outside, `${outside}/no-such-folder`, '../escaped']) {
      const err = (await client.call('openProject', { dir }).catch((e: unknown) => e)) as { code: string; message: string };
      expect(err.code).toBe('refused');
      messages.push(err.message.replace(dir, '<path>'));
    }
    expect(messages[0]).toMatch(/^<path> is outside the server's root folder/);
    expect(new Set(messages).size).toBe(1);
  });

  it('should refuse a link inside the root that leads out of it', async () => {
    const client = await connect();
    const outside = await tinyMnistProject();
    fs.symlinkSync(outside, path.join(root, 'link-out'));
    await expect(client.call('openProject', { dir: 'link-out' })).rejects.toThrow(/link-out is outside the server's root folder/);
  });

  it('should refuse an image folder and an export file outside the root', async () => {
    const client = await connect();
    await expect(client.call('createProject', { dir: 'new', dataset: { kind: 'folder', path: '/usr/share' } })).rejects.toThrow(
      /\/usr\/share is outside the server's root folder/,
    );
    await expect(client.call('exportWalk', { dir: 'digits', spec, options: { format: 'gif', out: '/tmp/w.gif', fps: 10, scale: 1 } })).rejects.toThrow(
      /\/tmp\/w.gif is outside the server's root folder/,
    );
  });

  it('should resolve a relative path against the root', async () => {
    const client = await connect();
    const summary = (await client.call('openProject', { dir: 'digits' })) as { dir: string; step: number };
    expect(summary).toMatchObject({ dir: path.join(root, 'digits'), step: 4 });
  });
});

describe('a client that vanishes mid-export', () => {
  it('should have its export cancelled while the server serves everyone else', async () => {
    const leaving = await connect();
    const staying = await connect();
    const events: ExportProgress[] = [];
    staying.on((name, payload) => name === 'export.progress' && events.push(payload as ExportProgress));
    leaving.on((name, payload) => {
      if (name === 'export.progress' && (payload as ExportProgress).phase === 'render') leaving.socket.terminate();
    });
    const long: WalkSpec = { ...spec, framesPerSegment: 400 };
    const out = `${TRANSFER_FOLDER}/exports/vanished.gif`;
    const outcome = await leaving.call('exportWalk', { dir: 'digits', spec: long, options: { format: 'gif', out, fps: 12, scale: 1 } }).catch((e: Error) => e);
    expect(outcome).toBeInstanceOf(Error);
    await until(() => events.some((e) => e.phase === 'cancelled'), 'the export to be cancelled');
    expect(fs.existsSync(path.join(root, out))).toBe(false);

    await expect(staying.call('ping', { t: 5 })).resolves.toEqual({ t: 5 });
    const mine = `${TRANSFER_FOLDER}/exports/staying.gif`;
    await staying.call('exportWalk', { dir: 'digits', spec, options: { format: 'gif', out: mine, fps: 10, scale: 1 } });
    const gif = new omggif.GifReader(new Uint8Array(await staying.download(mine, true)));
    expect([gif.numFrames(), gif.width]).toEqual([5, 28]);
    expect(fs.existsSync(path.join(root, mine))).toBe(false);
  });
});

describe('a training run', () => {
  it('should go on when the client that started it disconnects, and show its progress to the next', async () => {
    const starter = await connect();
    let firstRows = 0;
    starter.on((name) => name === 'training.metrics' && firstRows++);
    await starter.call('startTraining', { dir: 'digits', moreSteps: 2000 });
    await until(() => firstRows > 0, 'the first metrics');
    const stepWhenLeft = ((await starter.call('trainingStatus', { dir: 'digits' })) as TrainingStatus).step;
    starter.close();

    const later = await connect();
    await until(
      async () => ((await later.call('trainingStatus', { dir: 'digits' })) as TrainingStatus).step > stepWhenLeft + 5,
      'the run to make progress without its client',
      60_000,
    );
    const status = (await later.call('trainingStatus', { dir: 'digits' })) as TrainingStatus;
    expect(status.state).toBe('running');
    const rows = (await later.call('metrics', { dir: 'digits' })) as { step: number }[];
    expect(rows.at(-1)!.step).toBeGreaterThan(stepWhenLeft);
    await later.call('stopTraining', { dir: 'digits' });
    await until(async () => ((await later.call('trainingStatus', { dir: 'digits' })) as TrainingStatus).state !== 'stopping', 'the run to stop', 60_000);
  });
});
