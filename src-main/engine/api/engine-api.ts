/**
 * The engine behind the API contract, in plain Node: the Electron adapter and the e2e bridge
 * both wrap this object. Every method validates its payload, so no caller can skip that.
 */
import fs from 'node:fs';
import { parseInput, type ApiEventName, type ApiEvents } from '../../shared/contract';
import type { TrainingStatus } from '../../shared/types';
import { builtinDatasets } from '../data/builtin';
import { presetInfos } from '../models/architecture';
import { readMetrics } from '../project/metrics';
import { listCheckpoints } from '../project/checkpoints';
import { listSampleGrids, loadProjectConfig, projectSummary, rollbackTo, sampleFile } from '../project/project';
import { WorkerClient } from '../worker/worker-client';
import { arithApi } from './arith-api';
import { createContext, type EngineApi, type EngineContext } from './context';
import { evalApi } from './eval-api';
import { inspectApi } from './inspect-api';
import { latentApi } from './latent-api';

export type { EngineApi } from './context';

export interface EngineHost {
  api: EngineApi;
  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
  dispose(): Promise<void>;
}

export function createEngine(options: { stateDir: string }): EngineHost {
  const listeners = new Map<ApiEventName, Set<(payload: never) => void>>();
  const emit = <E extends ApiEventName>(event: E, payload: ApiEvents[E]) => {
    for (const l of listeners.get(event) ?? []) (l as (p: ApiEvents[E]) => void)(payload);
  };
  const ctx = createContext(options.stateDir, emit);
  // Feature modules (walks, arithmetic, evaluation...) add their methods here: `...xApi(ctx)`.
  const api: EngineApi = {
    ...coreApi(ctx),
    ...inspectApi(ctx),
    ...arithApi(ctx),
    ...latentApi(ctx),
    ...evalApi(ctx),
  };

  return {
    api,
    on(event, listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(listener as (payload: never) => void);
      return () => listeners.get(event)?.delete(listener as (payload: never) => void);
    },
    dispose: () => ctx.dispose(),
  };
}

/** Projects, training and sampling. */
function coreApi(ctx: EngineContext) {
  const { runs, recent, resolveDir, emit } = ctx;

  const idleStatus = (dir: string): TrainingStatus => {
    const s = projectSummary(dir);
    return { dir: s.dir, state: 'idle', step: s.step, epoch: s.epoch, targetStep: 0, imagesPerSec: 0, etaSeconds: null };
  };

  return {
    ping: async (input) => parseInput('ping', input),
    backends: async (input) => ctx.inference().call('backends', parseInput('backends', input)),
    presets: async (input) => (parseInput('presets', input), presetInfos()),
    builtinDatasets: async (input) => (parseInput('builtinDatasets', input), builtinDatasets()),
    recentProjects: async (input) => (parseInput('recentProjects', input), recent.list()),
    createProject: async (input) => {
      const args = parseInput('createProject', input);
      // A worker of its own: an import takes seconds to minutes and must not hold up sampling.
      const worker = new WorkerClient(emit);
      try {
        const summary = await worker.task('createProject', args);
        if (summary.importReport) emit('import.report', summary.importReport);
        recent.add(summary.dir, summary.config.name);
        return summary;
      } finally {
        await worker.close();
      }
    },
    openProject: async (input) => {
      const summary = projectSummary(resolveDir(parseInput('openProject', input).dir));
      recent.add(summary.dir, summary.config.name);
      return summary;
    },
    startTraining: async (input) => {
      const { dir, ...args } = parseInput('startTraining', input);
      loadProjectConfig(resolveDir(dir)); // clear error for a bad folder before forking anything
      return runs.start(resolveDir(dir), args);
    },
    pauseTraining: async (input) => runs.pause(resolveDir(parseInput('pauseTraining', input).dir)),
    resumeTraining: async (input) => runs.resume(resolveDir(parseInput('resumeTraining', input).dir)),
    stopTraining: async (input) => runs.stop(resolveDir(parseInput('stopTraining', input).dir)),
    trainingStatus: async (input) => {
      const dir = resolveDir(parseInput('trainingStatus', input).dir);
      return runs.get(dir)?.status ?? idleStatus(dir);
    },
    metrics: async (input) => {
      const { dir, sinceStep } = parseInput('metrics', input);
      loadProjectConfig(resolveDir(dir));
      return readMetrics(resolveDir(dir), sinceStep ?? 0);
    },
    checkpoints: async (input) => {
      const dir = resolveDir(parseInput('checkpoints', input).dir);
      const { train } = loadProjectConfig(dir);
      return listCheckpoints(dir, train.checkpointEvery, train.keepEvery);
    },
    rollback: async (input) => {
      const { dir, step } = parseInput('rollback', input);
      if (runs.get(resolveDir(dir))) throw new Error('Stop training before rolling back');
      rollbackTo(resolveDir(dir), step);
      return projectSummary(resolveDir(dir));
    },
    sampleGrids: async (input) => {
      const dir = resolveDir(parseInput('sampleGrids', input).dir);
      return listSampleGrids(dir, loadProjectConfig(dir));
    },
    sampleGridImage: async (input) => {
      const { dir, step } = parseInput('sampleGridImage', input);
      const file = sampleFile(resolveDir(dir), step);
      if (!fs.existsSync(file)) throw new Error(`No sample grid was saved at step ${step}`);
      return fs.readFileSync(file).toString('base64');
    },
    generate: async (input) => {
      const args = parseInput('generate', input);
      return ctx.inference().task('generate', { ...args, dir: resolveDir(args.dir) });
    },
  } satisfies Partial<EngineApi>;
}
