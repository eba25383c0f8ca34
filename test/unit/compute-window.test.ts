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
  let opened = 0;
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
      send: (request) => setImmediate(() => alive && deliver(request)),
      onReply: (l) => replies.push(l),
      onClose: (l) => closes.push(l),
      close: () => (alive = false),
    };
  };
  return {
    opener,
    opened: () => opened,
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
    const losses = (dir: string) => Project.open(dir).metrics().map((r) => [r.dLoss, r.gLoss]);
    expect(losses(b)).toHaveLength(6);
    // Same tfjs backend on both sides here: the relay must not change a single number.
    expect(losses(b)).toEqual(losses(a));
    // Checkpoints and grids were written by the host from what the window sent.
    expect(Project.open(b).checkpoints().map((c) => c.step)).toContain(6);
    expect(Project.open(b).sampleGrids().map((g) => g.step)).toContain(5);
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
    expect(fallback.backend?.attempts.find((x) => x.name === 'webgpu')?.reason).toMatch(/lost earlier in this session \(the GPU device was lost/);
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
