/**
 * Run health in a compute host: scoring checkpoints on demand (those training skipped to stay
 * within its budget, or all of them again), and the data checks of a folder or of a project's
 * dataset. Each reports 'health.progress' (at most ~8 a second) and stops at its next chunk when
 * cancelled; scores are announced as 'training.health' as they land.
 */
import type { healthContract } from '../../shared/contract/health';
import type { HealthRecord } from '../../shared/types/health';
import { checkCacheImages, checkImageFolder, type CheckControl } from '../data/checks-run';
import { selectSteps, skipUnreadable } from '../eval/checkpoints';
import { throwIfCancelled, type TaskContext, type TasksOf } from '../handler-types';
import type { Project } from '../project/project';
import { currentRecords, healthReport, recordScores } from './report';
import { ProjectScorer } from './scorer';
import { readStoredSpace, writeDataCheck } from './store';

/** 'health.progress' for `dir`, throttled; a new phase and the last update always go out. */
function progressFor(dir: string, ctx: TaskContext): NonNullable<CheckControl['onProgress']> {
  let last = 0;
  let lastPhase = '';
  return (done, total, phase) => {
    const now = Date.now();
    if (phase === lastPhase && done < total && now - last < 125) return;
    last = now;
    lastPhase = phase;
    ctx.emit('health.progress', { dir, phase, done, total });
  };
}

/** One scorer per host, kept for the next call on the same project (its real reference costs seconds). */
let cached: { key: string; scorer: ProjectScorer } | null = null;

function scorerFor(project: Project): ProjectScorer {
  const key = [project.dir, project.config.createdAt, project.config.dataset.count, readStoredSpace(project)?.info.id].join('|');
  if (cached?.key !== key) {
    cached?.scorer.dispose();
    cached = null;
    const scorer = ProjectScorer.open(project);
    // The space is stored on first use: key it by what it is now, so the next call finds it.
    cached = { key: [project.dir, project.config.createdAt, project.config.dataset.count, scorer.space.info.id].join('|'), scorer };
  }
  return cached.scorer;
}

export const healthTasks: TasksOf<typeof healthContract> = {
  healthScore: async (project, { steps }, ctx) => {
    const scorer = scorerFor(project);
    const done = new Set(currentRecords(project).map((r) => r.step));
    const todo = selectSteps(project, steps ?? 'new', done).filter((s) => s > 0);
    const progress = progressFor(project.dir, ctx);
    const check = () => throwIfCancelled(ctx.signal, 'Scoring cancelled');
    const scored: HealthRecord[] = [];
    const skipped: { step: number; reason: string }[] = [];
    for (const [i, step] of todo.entries()) {
      check();
      const onProgress = ({ phase, done: d, total }: { phase: string; done: number; total: number }) =>
        progress(d, total, `Checkpoint ${i + 1} of ${todo.length}: ${phase}`);
      try {
        const record = await scorer.score(step, { check, onProgress });
        scored.push(record);
        ctx.emit('training.health', { dir: project.dir, ...recordScores(project, [record]) });
      } catch (err) {
        skipUnreadable(err, step, skipped);
      }
    }
    return { scored, skipped, report: healthReport(project) };
  },

  checkDataset: async (project, _args, ctx) => {
    const { model } = project.config;
    const cache = project.openDataset({ inMemoryLimitBytes: 0 });
    try {
      const report = await checkCacheImages(
        cache,
        { size: model.size, channels: model.channels, ngf: model.ngf },
        { signal: ctx.signal, onProgress: progressFor(project.dir, ctx) },
      );
      writeDataCheck(project, report);
      return report;
    } finally {
      cache.close();
    }
  },

  checkFolder: async ({ path, size, channels, ngf }, ctx) =>
    // Defaults as createProject's for a folder: 64x64 colour, G width 64.
    checkImageFolder(
      path,
      { size: size ?? 64, channels: channels ?? 3, ngf: ngf ?? 64 },
      { signal: ctx.signal, onProgress: progressFor(path, ctx) },
    ),
};
