/**
 * The dispatcher built from the contract (engine/api/dispatch.ts): one validation at the
 * boundary, a Project opened for `dir`, each method run where its declaration says, and job keys
 * (one evaluation per project, one export per id; cancel by key). The engine's work is faked
 * here; the last block runs the real engine over the in-process channel.
 */
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEngine } from '../../src-main/engine/api/engine-api';
import { createDispatch, type Dispatch, type WorkerPolicy } from '../../src-main/engine/api/dispatch';
import type { EngineContext } from '../../src-main/engine/api/context';
import { JobRegistry } from '../../src-main/engine/api/jobs';
import { inProcessChannel } from '../../src-main/engine/compute/channels';
import { evalHandlers } from '../../src-main/engine/eval/handlers';
import type { EngineHandlers } from '../../src-main/engine/handler-types';
import { latentHandlers } from '../../src-main/engine/latent/handlers';
import { Project } from '../../src-main/engine/project/project';
import { apiContract } from '../../src-main/shared/contract';
import { cancelled, type GanvasError } from '../../src-main/shared/errors';
import { bareProject, tempDir, tinyMnistProject } from '../helpers/projects';

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    (value) => ({ value }),
    (error: GanvasError) => ({ code: error.code, message: error.message }),
  );

/** A worker task that runs until its signal is aborted (then rejects as cancelled) or it is released. */
function controllableTask() {
  const releases: (() => void)[] = [];
  const task = vi.fn(
    (name: string, _args: unknown, signal?: AbortSignal) =>
      new Promise((resolve, reject) => {
        signal?.addEventListener('abort', () => reject(cancelled(`${name} cancelled`)), { once: true });
        releases.push(() => resolve(`${name} done`));
      }),
  );
  return { task, releaseAll: () => releases.splice(0).forEach((release) => release()) };
}

function setup() {
  const work = controllableTask();
  const shared = { task: work.task, close: vi.fn(async () => undefined) };
  const ownHosts: { task: ReturnType<typeof vi.fn>; close: ReturnType<typeof vi.fn> }[] = [];
  const recentAdded = vi.fn();
  const ctx = {
    emit: vi.fn(),
    jobs: new JobRegistry(),
    compute: () => shared,
    newHost: () => {
      const host = {
        task: vi.fn(async (_name: string, args: { dir: string; name?: string }) => ({ dir: args.dir, config: { name: args.name ?? 'x' } })),
        close: vi.fn(async () => undefined),
      };
      ownHosts.push(host);
      return host;
    },
  } as unknown as EngineContext;
  // Engine-side handlers: spies that report what they were handed; the cancel handlers are the real ones.
  const handlers = {
    ping: vi.fn(async (args: unknown) => args),
    metrics: vi.fn(async (project: Project, rest: unknown) => ({ dir: project.dir, rest })),
    openProject: vi.fn(async (project: Project) => project.summary()),
    evalCancel: evalHandlers.evalCancel,
    cancelExport: latentHandlers.cancelExport,
  } as unknown as EngineHandlers<EngineContext>;
  const policy: WorkerPolicy = { ownHost: new Set(['createProject']), after: { createProject: recentAdded } };
  const call: Dispatch = createDispatch(ctx, handlers, policy);
  return { call, ctx, handlers: handlers as unknown as Record<string, ReturnType<typeof vi.fn>>, shared, ownHosts, recentAdded, work };
}

let env: ReturnType<typeof setup>;
let project: Project;
beforeEach(() => {
  env = setup();
  project = bareProject();
});

describe('validation', () => {
  it('should validate each payload once, and never hand an invalid one to a handler or a task', async () => {
    const parse = vi.spyOn(apiContract.ping.input, 'safeParse');
    await expect(outcome(env.call('ping', { t: 'soon' }))).resolves.toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/^Invalid ping request: t:/),
    });
    expect(env.handlers.ping).not.toHaveBeenCalled();
    await expect(env.call('ping', { t: 7 })).resolves.toEqual({ t: 7 });
    expect(env.handlers.ping).toHaveBeenCalledWith({ t: 7 }, env.ctx);
    expect(parse).toHaveBeenCalledTimes(2); // once per call, at the boundary
    parse.mockRestore();

    await expect(outcome(env.call('generate', { dir: project.dir, count: 0, seed: 1 }))).resolves.toMatchObject({ code: 'invalid' });
    await expect(outcome(env.call('metrics', { dir: project.dir, sinceStep: -1 }))).resolves.toMatchObject({ code: 'invalid' });
    expect(env.shared.task).not.toHaveBeenCalled();
    expect(env.handlers.metrics).not.toHaveBeenCalled();
  });

  it('should refuse a training target that names more than one of untilStep, moreSteps and epochs', async () => {
    for (const target of [{ untilStep: 10, moreSteps: 5 }, { moreSteps: 5, epochs: 1 }, { untilStep: 10, epochs: 2 }]) {
      await expect(outcome(env.call('startTraining', { dir: project.dir, ...target }))).resolves.toEqual({
        code: 'invalid',
        message: 'Invalid startTraining request: untilStep: give one of untilStep, moreSteps or epochs',
      });
    }
  });
});

describe('projects', () => {
  it('should open the project a dir names and hand the handler a Project and the rest of the payload', async () => {
    const relative = path.relative(process.cwd(), project.dir);
    await expect(env.call('metrics', { dir: relative, sinceStep: 3 })).resolves.toEqual({ dir: project.dir, rest: { sinceStep: 3 } });
    const [opened, rest] = env.handlers.metrics.mock.calls[0];
    expect(opened).toBeInstanceOf(Project);
    expect((opened as Project).config).toEqual(project.config);
    expect(rest).not.toHaveProperty('dir');
  });

  it("should send a worker method its payload with dir resolved to the project's absolute folder", async () => {
    const relative = path.relative(process.cwd(), project.dir);
    const running = env.call('generate', { dir: relative, count: 2, seed: 9 });
    await vi.waitFor(() => expect(env.shared.task).toHaveBeenCalled());
    expect(env.shared.task).toHaveBeenCalledWith('generate', { dir: project.dir, count: 2, seed: 9 }, undefined);
    env.work.releaseAll();
    await expect(running).resolves.toBe('generate done');
  });

  it("should answer a folder that is not a project with 'not-found' before any work", async () => {
    const notAProject = tempDir();
    for (const dir of [notAProject, path.join(notAProject, 'missing')]) {
      for (const [name, payload] of [
        ['metrics', { dir }],
        ['openProject', { dir }],
        ['generate', { dir, count: 1, seed: 1 }],
        ['evalQuality', { dir }],
      ] as const) {
        await expect(outcome(env.call(name, payload))).resolves.toMatchObject({ code: 'not-found' });
      }
    }
    expect(env.handlers.metrics).not.toHaveBeenCalled();
    expect(env.handlers.openProject).not.toHaveBeenCalled();
    expect(env.shared.task).not.toHaveBeenCalled();
  });

  it('should create a project in a host of its own, closed afterwards, with dir resolved and the after-effect run', async () => {
    const target = path.relative(process.cwd(), path.join(tempDir(), 'new'));
    const summary = await env.call('createProject', { dir: target, dataset: { kind: 'mnist' }, name: 'fresh' });
    expect(summary).toEqual({ dir: path.resolve(target), config: { name: 'fresh' } });
    expect(env.ownHosts).toHaveLength(1);
    expect(env.ownHosts[0].task).toHaveBeenCalledWith('createProject', expect.objectContaining({ dir: path.resolve(target) }), undefined);
    expect(env.ownHosts[0].close).toHaveBeenCalled();
    expect(env.shared.task).not.toHaveBeenCalled();
    expect(env.recentAdded).toHaveBeenCalledWith(summary, env.ctx);
  });
});

describe('shell methods', () => {
  it("should hand shell methods to the shell's answer, and refuse them when there is no shell", async () => {
    await expect(outcome(env.call('chooseDirectory', {}))).resolves.toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/desktop app/),
    });
    const shell = vi.fn(async () => '/picked');
    await expect(env.call('chooseDirectory', { title: 'Pick' }, shell)).resolves.toBe('/picked');
    expect(shell).toHaveBeenCalledWith('chooseDirectory', { title: 'Pick' });
    await expect(outcome(env.call('chooseDirectory', { title: 7 }, shell))).resolves.toMatchObject({ code: 'invalid' });
    expect(shell).toHaveBeenCalledTimes(1);
  });
});

describe('job keys', () => {
  it("should run one evaluation per project: a second is 'busy', cancelling by key makes the first 'cancelled'", async () => {
    const other = bareProject();
    const first = outcome(env.call('evalQuality', { dir: project.dir }));
    await vi.waitFor(() => expect(env.shared.task).toHaveBeenCalledTimes(1));
    await expect(outcome(env.call('evalFeatures', { dir: project.dir, labels: [100] }))).resolves.toEqual({
      code: 'busy',
      message: apiContract.evalFeatures.job!.busy,
    });
    expect(env.shared.task).toHaveBeenCalledTimes(1); // the refused one never reached a host
    const elsewhere = env.call('evalMemorisation', { dir: other.dir }); // another project: its own key
    await vi.waitFor(() => expect(env.shared.task).toHaveBeenCalledTimes(2));

    await expect(env.call('evalCancel', { dir: path.relative(process.cwd(), project.dir) })).resolves.toBe(true);
    await expect(first).resolves.toEqual({ code: 'cancelled', message: 'evalQuality cancelled' });
    await expect(env.call('evalCancel', { dir: project.dir })).resolves.toBe(false);
    // The key is free again.
    const again = env.call('evalFeatures', { dir: project.dir, labels: [100] });
    await vi.waitFor(() => expect(env.shared.task).toHaveBeenCalledTimes(3));
    env.work.releaseAll();
    await expect(again).resolves.toBe('evalFeatures done');
    await expect(elsewhere).resolves.toBe('evalMemorisation done');
  });

  it('should key exports by their id, and run exports without an id side by side', async () => {
    const exportPayload = (id?: string) => ({
      dir: project.dir,
      spec: { kind: 'sweep', start: { kind: 'seed', seed: 1 }, dim: 0, range: [-1, 1], frames: 2 },
      options: { format: 'json', out: path.join(tempDir(), 'w.json'), fps: 10, scale: 1 },
      ...(id && { id }),
    });
    const a = outcome(env.call('exportWalk', exportPayload('a')));
    await vi.waitFor(() => expect(env.shared.task).toHaveBeenCalledTimes(1));
    await expect(outcome(env.call('exportWalk', exportPayload('a')))).resolves.toMatchObject({ code: 'busy' });
    const b = env.call('exportWalk', exportPayload('b'));
    const anonymous = [env.call('exportWalk', exportPayload()), env.call('exportWalk', exportPayload())];
    await vi.waitFor(() => expect(env.shared.task).toHaveBeenCalledTimes(4));
    await expect(env.call('cancelExport', { id: 'a' })).resolves.toBe(true);
    await expect(a).resolves.toMatchObject({ code: 'cancelled' });
    await expect(env.call('cancelExport', { id: 'a' })).resolves.toBe(false);
    env.work.releaseAll();
    await expect(Promise.all([b, ...anonymous])).resolves.toEqual(['exportWalk done', 'exportWalk done', 'exportWalk done']);
  });
});

describe('the real engine over the in-process channel', () => {
  let engine: ReturnType<typeof createEngine> | null = null;
  afterAll(async () => {
    await engine?.dispose();
  });

  it('should answer engine and worker methods for a relative dir, and the same not-found for a non-project', async () => {
    const dir = await tinyMnistProject();
    engine = createEngine({ stateDir: tempDir('ganvas-state-'), channel: inProcessChannel });
    const relative = path.relative(process.cwd(), dir);
    const parse = vi.spyOn(apiContract.generate.input, 'safeParse');
    const batch = await engine.api.generate({ dir: relative, count: 2, seed: 4 });
    expect(parse).toHaveBeenCalledTimes(1); // the compute host does not validate again
    parse.mockRestore();
    expect(batch.z).toHaveLength(2);
    expect((await engine.api.openProject({ dir: relative })).dir).toBe(dir);
    expect((await engine.api.recentProjects({})).map((p) => p.dir)).toEqual([dir]);
    const notAProject = tempDir();
    for (const call of [
      () => engine!.api.openProject({ dir: notAProject }),
      () => engine!.api.generate({ dir: notAProject, count: 1, seed: 1 }),
    ]) {
      await expect(outcome(call())).resolves.toMatchObject({
        code: 'not-found',
        message: expect.stringMatching(/is not a Ganvas project/),
      });
    }
  });
});
