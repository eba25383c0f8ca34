/** Engine-side methods of the core contract: projects, training runs, history, app data. */
import type { coreContract } from '../../shared/contract/core';
import type { TrainingStatus } from '../../shared/types';
import { busy, invalid } from '../../shared/errors';
import { builtinDatasets } from '../data/builtin';
import { datasetStats } from '../data/stats';
import type { HandlersOf } from '../handler-types';
import { allPresetInfos } from '../models/architecture';
import { noDatasetMessage, type Project } from '../project/project';
import type { EngineContext } from './context';
import type { WorkerPolicy } from './dispatch';

const idleStatus = (project: Project): TrainingStatus => {
  const step = project.latestStep();
  return { dir: project.dir, state: 'idle', step, epoch: project.epochAt(step), targetStep: 0, imagesPerSec: 0, etaSeconds: null };
};

export const coreHandlers: HandlersOf<typeof coreContract, EngineContext> = {
  ping: async (args) => args,
  presets: async () => allPresetInfos(),
  builtinDatasets: async () => builtinDatasets(),
  recentProjects: async (_args, ctx) => ctx.recent.list(),
  openProject: async (project, _args, ctx) => {
    ctx.recent.add(project.dir, project.name);
    return project.summary();
  },
  startTraining: async (project, { backend, workers, ...target }, ctx) => {
    if (!project.hasDataset) throw invalid(noDatasetMessage(project.name)); // said plainly, before a worker starts
    return ctx.runs.start(project, target, { backend, workers });
  },
  pauseTraining: async (project, _args, ctx) => ctx.runs.pause(project.dir),
  resumeTraining: async (project, _args, ctx) => ctx.runs.resume(project.dir),
  stopTraining: async (project, _args, ctx) => ctx.runs.stop(project.dir),
  trainingStatus: async (project, _args, ctx) => ctx.runs.get(project.dir)?.status ?? idleStatus(project),
  datasetStats: async (project) => {
    const cache = project.openDataset({ inMemoryLimitBytes: 0 });
    try {
      return datasetStats(cache);
    } finally {
      cache.close();
    }
  },
  metrics: async (project, { sinceStep }) => project.metrics(sinceStep ?? 0),
  checkpoints: async (project) => project.checkpoints(),
  rollback: async (project, { step }, ctx) => {
    if (ctx.runs.get(project.dir)) throw busy('Stop training before rolling back');
    project.rollbackTo(step);
    return project.summary();
  },
  sampleGrids: async (project) => project.sampleGrids(),
  sampleGridImage: async (project, { step }) => project.sampleGridImage(step).toString('base64'),
};

export const corePolicy: WorkerPolicy = {
  ownHost: new Set(['createProject', 'importModel']),
  after: {
    createProject: (summary, ctx) => ctx.recent.add(summary.dir, summary.config.name),
    importModel: (summary, ctx) => ctx.recent.add(summary.dir, summary.config.name),
  },
};
