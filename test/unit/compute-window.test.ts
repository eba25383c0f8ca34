/**
 * Training through a compute window, end to end through the engine: the window here is the real
 * page code (device-page.ts) served in this process on this process's tfjs, reached through the
 * same relay a desktop window or a Chromium page uses; only the GPU adapter is a stand-in.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type DeviceLink, type EngineHost } from '../../src-main/engine/api/engine-api';
import { serveHost } from '../../src-main/engine/compute/browser/device-page';
import type { AdapterInfo, DeviceReply, DeviceRequest } from '../../src-main/engine/compute/browser/device-protocol';
import { Project } from '../../src-main/engine/project/project';
import type { TrainingStatus } from '../../src-main/shared/types';
import { tempDir, tinyMnistProject } from '../helpers/projects';

const hardware: AdapterInfo = { backend: 'webgpu', vendor: 'test', architecture: 'stand-in', description: '', software: false };

/** Opens in-process windows; `closeAll` acts out the user (or a crash) closing them. */
function windows(adapter: AdapterInfo = hardware) {
  const open: { close(why: string): void }[] = [];
  const lostHandlers: ((reply: DeviceReply) => void)[] = [];
  const ops: string[] = [];
  /** Acts once when a call of that kind is sent (e.g. close the window mid-call). */
  const onSend = new Map<string, () => void>();
  let opened = 0;
  let released = 0;
  const opener = async (): Promise<DeviceLink> => {
    opened += 1;
    let deliver: (request: DeviceRequest) => void = () => {};
    const replies: ((reply: DeviceReply) => void)[] = [];
    const closes: ((why: string) => void)[] = [];
    let alive = true;
    // Replies a macrotask later, as across processes.
    const post = (reply: DeviceReply) => setImmediate(() => alive && replies.forEach((r) => r(reply)));
    lostHandlers.push(post);
    serveHost({ postMessage: post, onMessage: (l) => (deliver = l) }, async () => adapter);
    open.push({
      close: (why) => {
        alive = false;
        closes.forEach((c) => c(why));
      },
    });
    return {
      send: (request) => {
        ops.push(request.call.op);
        const act = onSend.get(request.call.op);
        onSend.delete(request.call.op);
        act?.();
        setImmediate(() => alive && deliver(request));
      },
      onReply: (l) => replies.push(l),
      onClose: (l) => closes.push(l),
      close: () => {
        alive = false;
        released += 1;
      },
    };
  };
  return {
    opener,
    opened: () => opened,
    /** Windows the engine closed itself (done with them). */
    released: () => released,
    /** The calls sent to the windows so far, in order. */
    ops,
    onSend,
    closeAll: (why: string) => open.splice(0).forEach((w) => w.close(why)),
    /** WebGPU's device.lost in the page: the window stays, its networks do not. */
    loseDevice: (why: string) => lostHandlers.forEach((post) => post({ lost: why })),
  };
}

function ended(engine: EngineHost, onStep?: (s: TrainingStatus) => void): Promise<TrainingStatus> {
  return new Promise((resolve) => {
    const off = engine.on('training.status', (s) => {
      onStep?.(s);
      if (s.state === 'finished' || s.state === 'idle' || s.state === 'error') {
        off();
        resolve(s);
      }
    });
  });
}

let engine: EngineHost | null = null;
afterEach(async () => {
  await engine?.dispose();
  engine = null;
});

describe('training in a compute window', () => {
  it('should train on the window with the same losses as this process and say which adapter it used', async () => {
    const a = await tinyMnistProject();
    const b = await tinyMnistProject();
    const w = windows();
    engine = createEngine({ stateDir: tempDir('ganvas-state-'), channel: 'in-process', computeWindow: w.opener });
    let done = ended(engine);
    // auto: the window below shares this process's tfjs, so both runs use the same kernels.
    await engine.api.startTraining({ dir: a, untilStep: 6 });
    await done;
    done = ended(engine);
    await engine.api.startTraining({ dir: b, untilStep: 6, backend: 'webgpu' });
    const final = await done;
    expect(final.state).toBe('finished');
    expect(final.backend?.active).toBe('webgpu');
    expect(final.backend?.attempts.at(-1)).toMatchObject({ name: 'webgpu', ok: true, detail: 'WebGPU: test stand-in' });
    const losses = (dir: string) =>
      Project.open(dir)
        .metrics()
        .map((r) => [r.dLoss, r.gLoss]);
    expect(losses(b)).toHaveLength(6);
    // Same tfjs backend on both sides here: the relay must not change a single number.
    expect(losses(b)).toEqual(losses(a));
    // Checkpoints and grids were written by the host from what the window sent.
    expect(
      Project.open(b)
        .checkpoints()
        .map((c) => c.step),
    ).toContain(6);
    expect(
      Project.open(b)
        .sampleGrids()
        .map((g) => g.step),
    ).toContain(5);
  });

  it('should end a run whose window closes at its last checkpoint, then train on the Node host under auto', async () => {
    const dir = await tinyMnistProject();
    const w = windows();
    engine = createEngine({ stateDir: tempDir('ganvas-state-'), channel: 'in-process', computeWindow: w.opener });
    const done = ended(engine, (s) => {
      if (s.state === 'running' && s.step >= 5) w.closeAll('the compute window was closed');
    });
    await engine.api.startTraining({ dir, untilStep: 50, backend: 'webgpu' });
    const lost = await done;
    expect(lost.state).toBe('idle');
    expect(lost.message).toMatch(/webgpu device was lost \(the compute window was closed\); the run ended at its last checkpoint, step 4/);
    expect(lost.step).toBe(4);
    const again = ended(engine);
    await engine.api.startTraining({ dir, untilStep: 6 });
    const fallback = await again;
    expect(fallback).toMatchObject({ state: 'finished', step: 6 });
    expect(fallback.backend?.active).not.toBe('webgpu');
    const attempt = fallback.backend?.attempts.find((x) => x.name === 'webgpu');
    expect(attempt?.reason).toMatch(/lost earlier in this session \(the compute window was closed\)/);
    expect(w.opened()).toBe(1);
  });

  it('should end a run whose GPU device is lost, close that window and open a new one only when WebGPU is chosen again', async () => {
    const dir = await tinyMnistProject();
    const w = windows();
    engine = createEngine({ stateDir: tempDir('ganvas-state-'), channel: 'in-process', computeWindow: w.opener });
    const done = ended(engine, (s) => {
      if (s.state === 'running' && s.step >= 5) w.loseDevice('the GPU device was lost: driver reset');
    });
    await engine.api.startTraining({ dir, untilStep: 50, backend: 'webgpu' });
    const lost = await done;
    expect(lost).toMatchObject({ state: 'idle', step: 4 });
    expect(lost.message).toMatch(/device was lost \(the GPU device was lost: driver reset\)/);
    let again = ended(engine);
    await engine.api.startTraining({ dir, untilStep: 5 });
    const fallback = await again;
    expect(fallback.backend?.attempts.find((x) => x.name === 'webgpu')?.reason).toMatch(
      /lost earlier in this session \(the GPU device was lost/,
    );
    expect(w.opened()).toBe(1);
    again = ended(engine);
    await engine.api.startTraining({ dir, untilStep: 6, backend: 'webgpu' });
    expect(await again).toMatchObject({ state: 'finished', step: 6 });
    expect(w.opened()).toBe(2);
  });

  it('should skip a software adapter under auto but use it when WebGPU is chosen', async () => {
    const dir = await tinyMnistProject();
    const w = windows({ ...hardware, architecture: 'swiftshader', software: true });
    engine = createEngine({ stateDir: tempDir('ganvas-state-'), channel: 'in-process', computeWindow: w.opener });
    let done = ended(engine);
    await engine.api.startTraining({ dir, untilStep: 1 });
    const auto = await done;
    expect(auto.backend?.attempts.find((x) => x.name === 'webgpu')?.reason).toMatch(/only a software adapter \(swiftshader\)/);
    done = ended(engine);
    await engine.api.startTraining({ dir, untilStep: 2, backend: 'webgpu' });
    expect((await done).backend?.active).toBe('webgpu');
  });

  it('should say that an engine without windows (CLI, server) cannot train on WebGPU', async () => {
    const dir = await tinyMnistProject();
    engine = createEngine({ stateDir: tempDir('ganvas-state-'), channel: 'in-process' });
    let done = ended(engine);
    await engine.api.startTraining({ dir, untilStep: 1, backend: 'webgpu' });
    const refused = await done;
    expect(refused.state).toBe('error');
    expect(refused.message).toMatch(/Backend 'webgpu' is unavailable: this engine has no compute window/);
    done = ended(engine);
    await engine.api.startTraining({ dir, untilStep: 1 });
    expect((await done).backend?.attempts.find((x) => x.name === 'webgpu')?.reason).toMatch(/no compute window/);
  });
});

describe('pictures in a compute window', () => {
  /** A project with a checkpoint at step 3, trained on this process. */
  async function trained(): Promise<string> {
    const dir = await tinyMnistProject();
    const plain = createEngine({ stateDir: tempDir('ganvas-state-'), channel: 'in-process' });
    const done = ended(plain);
    await plain.api.startTraining({ dir, untilStep: 3 });
    await done;
    await plain.dispose();
    return dir;
  }

  /** Samples, gallery tiles, walk frames and feature maps of `dir`, as the app asks for them. */
  async function pictures(api: EngineHost['api'], dir: string) {
    const batch = await api.generate({ dir, count: 6, seed: 5 });
    const tiles = await api.galleryTiles({ dir, seed: 5, count: 4 });
    const frames = await api.renderLatents({ dir, rows: tiles.map((t) => ({ z: t.z, label: t.label })), scale: 2 });
    const maps = await api.inspectFeatures({ dir, source: { kind: 'generated', seed: 5, index: 1 } });
    return { grid: batch.pngBase64, tiles: tiles.map((t) => t.pngBase64), frames, maps };
  }

  it('should draw samples, walk frames and feature maps on a hardware window under auto, equal to this process', async () => {
    const dir = await trained();
    const reference = createEngine({ stateDir: tempDir('ganvas-state-'), channel: 'in-process' });
    const expected = await pictures(reference.api, dir);
    await reference.dispose();

    const w = windows();
    engine = createEngine({ stateDir: tempDir('ganvas-state-'), channel: 'in-process', computeWindow: w.opener });
    // A task that draws nothing (the kernels are the checkpoint's weights) opens no window.
    await engine.api.inspectFilters({ dir, layer: 'd1' });
    expect(w.opened()).toBe(0);
    const report = await engine.api.backends({});
    expect(report.active).toBe('webgpu');
    const drawn = await pictures(engine.api, dir);
    // The window runs this process's tfjs here, so every byte must match.
    expect(drawn).toEqual(expected);
    expect(drawn.maps.G?.length).toBe(expected.maps.G?.length);
    // The checkpoint's networks travelled once; every picture was a call of its own.
    expect(w.ops.filter((op) => op === 'load')).toHaveLength(1);
    expect(w.ops).toEqual(expect.arrayContaining(['probe', 'load', 'draw', 'forward']));
  });

  it('should draw on the Node host when the window closes, say so once, and use the window again only when WebGPU is chosen', async () => {
    const dir = await trained();
    const w = windows();
    engine = createEngine({ stateDir: tempDir('ganvas-state-'), channel: 'in-process', computeWindow: w.opener });
    const notices: string[] = [];
    engine.on('project.notice', (n) => n.kind === 'device-lost' && notices.push(n.message));
    const first = await engine.api.generate({ dir, count: 4, seed: 1 });
    // Closed while it draws: this call is answered from this process.
    w.onSend.set('draw', () => w.closeAll('the compute window was closed'));
    const after = await engine.api.generate({ dir, count: 4, seed: 1 });
    expect(after.pngBase64).toBe(first.pngBase64);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/lost while drawing \(the compute window was closed\); pictures are drawn on /);
    const report = await engine.api.backends({});
    expect(report.active).not.toBe('webgpu');
    expect(report.attempts.find((a) => a.name === 'webgpu')?.reason).toMatch(/the compute window was lost/);
    await engine.api.generate({ dir, count: 4, seed: 1 });
    expect(w.opened()).toBe(1);
    expect((await engine.api.backends({ backend: 'webgpu' })).active).toBe('webgpu');
    expect((await engine.api.generate({ dir, count: 4, seed: 1 })).pngBase64).toBe(first.pngBase64);
    expect(w.opened()).toBe(2);
  });

  it('should draw on the Node host under auto with a software adapter, and on the window when WebGPU is chosen', async () => {
    const dir = await trained();
    const w = windows({ ...hardware, architecture: 'swiftshader', software: true });
    engine = createEngine({ stateDir: tempDir('ganvas-state-'), channel: 'in-process', computeWindow: w.opener });
    const auto = await engine.api.backends({});
    expect(auto.active).not.toBe('webgpu');
    expect(auto.attempts.find((a) => a.name === 'webgpu')?.reason).toMatch(/only a software adapter/);
    // The window opened to probe is not kept open for nothing.
    expect(w.released()).toBe(1);
    await engine.api.generate({ dir, count: 2, seed: 1 });
    expect(w.ops).not.toContain('draw');
    expect((await engine.api.backends({ backend: 'webgpu' })).active).toBe('webgpu');
    await engine.api.generate({ dir, count: 2, seed: 1 });
    expect(w.ops).toContain('draw');
    // Back to auto: this process again.
    expect((await engine.api.backends({ backend: 'auto' })).active).not.toBe('webgpu');
  });

  it('should refuse WebGPU for pictures in an engine without windows and keep drawing here', async () => {
    const dir = await trained();
    engine = createEngine({ stateDir: tempDir('ganvas-state-'), channel: 'in-process' });
    await expect(engine.api.backends({ backend: 'webgpu' })).rejects.toThrow(
      /Backend 'webgpu' is unavailable: this engine has no compute window/,
    );
    expect((await engine.api.generate({ dir, count: 2, seed: 1 })).pngBase64).toBeTruthy();
  });
});
