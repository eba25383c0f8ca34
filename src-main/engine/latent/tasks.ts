/**
 * Latent explorer tasks in a compute host: gallery tiles, rendering rows, planning walks, and
 * exports (which report progress and stop at their next chunk when cancelled, while the
 * renderer's own frame requests still get their turn between chunks).
 */
import type { latentContract } from '../../shared/contract/latent';
import type { ExportProgress, ModelConfig, WalkSpec } from '../../shared/types';
import { isCancelled } from '../../shared/errors';
import { throwIfCancelled, yieldToLoop, type TaskContext, type TasksOf } from '../handler-types';
import { checkpointStep } from '../health/report';
import type { GanAt } from '../project/models';
import type { Project } from '../project/project';
import type { Drawer } from '../sampling/drawer';
import { encodePng } from '../sampling/grid';
import { latentVectors } from '../sampling/noise';
import { gridLabels } from '../sampling/sampler';
import { deriveSeed, Stream } from '../util/rng';
import { endpointResolver } from './endpoints';
import { frameBytes } from './export/pixels';
import { WalkExport } from './export/walk-export';
import { planWalk, type PlannedFrame, type PlannedWalk } from './plan';
import { drawFrames, framesFromRows } from './render';

/** Plans a walk for a project. */
export function planFor(project: Project, spec: WalkSpec): PlannedWalk {
  return planWalk(spec, project.config.model, endpointResolver(project));
}

/** PNG (base64) of each frame, at `scale`. */
export async function framePngs(model: ModelConfig, images: Float32Array, n: number, scale = 1): Promise<string[]> {
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const data = frameBytes(images, i, model.size, model.channels);
      const png = await encodePng({ data, width: model.size, height: model.size, channels: model.channels }, scale);
      return png.toString('base64');
    }),
  );
}

/** The export source of a project: what WalkExport needs from the model, drawn by `drawer`. */
export function exportSource(project: Project, gan: GanAt, drawer: Drawer) {
  return {
    model: project.config.model,
    projectName: project.name,
    step: gan.step,
    render: (frames: PlannedFrame[]) => drawFrames(drawer, project.config.model, frames),
  };
}

/** `export.progress` events of one export, at most ~10 a second (phase changes and the end always). */
export function progressReporter(ctx: TaskContext, id: string, file: string) {
  let last = 0;
  return (p: Omit<ExportProgress, 'id' | 'file'>, force = false) => {
    if (!force && Date.now() - last < 100) return;
    last = Date.now();
    ctx.emit('export.progress', { id, file, ...p });
  };
}

export const latentTasks: TasksOf<typeof latentContract> = {
  galleryTiles: async (project, { seed, count, classIndex, checkpoint }, ctx) => {
    const { model } = project.config;
    // Exactly the z and labels of generate({ seed, count, classIndex }), so tiles match its grid.
    const z = latentVectors(model, count, deriveSeed(seed, Stream.sample));
    const labels = gridLabels(model, count, classIndex);
    const frames = framesFromRows(
      model,
      Array.from({ length: count }, (_, i) => ({
        z: Array.from(z.subarray(i * model.zDim, (i + 1) * model.zDim)),
        label: labels?.[i] ?? null,
      })),
    );
    const drawer = ctx.drawer(project, project.ganAt(checkpointStep(project, checkpoint)));
    const pngs = await framePngs(model, await drawFrames(drawer, model, frames), count);
    return frames.map((f, i) => ({ z: Array.from(f.z), label: labels?.[i] ?? null, seed, index: i, pngBase64: pngs[i] }));
  },

  renderLatents: async (project, { rows, scale, checkpoint }, ctx) => {
    const { model } = project.config;
    const frames = framesFromRows(model, rows);
    const drawer = ctx.drawer(project, project.ganAt(checkpointStep(project, checkpoint)));
    return framePngs(model, await drawFrames(drawer, model, frames), frames.length, scale ?? 1);
  },

  walkPlan: async (project, { spec, checkpoint }) => {
    const planned = planFor(project, spec);
    return {
      frames: planned.frames.map((f) => ({ z: Array.from(f.z), label: f.label ? Array.from(f.label) : null })),
      keyFrames: planned.keyFrames,
      step: project.ganAt(checkpointStep(project, checkpoint)).step,
    };
  },

  exportWalk: async (project, { spec, options, id, checkpoint }, ctx) => {
    const report = progressReporter(ctx, id ?? '', options.out);
    // The export yields between chunks for seconds or minutes: it renders with a G of its own. The
    // shared one (project.ganAt) is replaced, and freed, as soon as a request in between asks for a
    // newer checkpoint (a run training meanwhile), which would leave this loop on disposed tensors.
    return project.withGanAt(
      checkpointStep(project, checkpoint) ?? project.ganAt().step, // by default the newest checkpoint that reads cleanly
      async (gan) => {
        const job = new WalkExport(exportSource(project, gan, ctx.drawer(project, gan)), spec, planFor(project, spec), options);
        report({ phase: 'render', done: 0, total: job.total }, true);
        try {
          for (;;) {
            throwIfCancelled(ctx.signal, 'Export cancelled');
            const step = await job.step();
            if (step.result) {
              report({ phase: 'done', done: step.total, total: step.total }, true);
              return step.result;
            }
            report({ phase: step.phase, done: step.done, total: step.total });
            await yieldToLoop();
          }
        } catch (error) {
          await job.abort();
          const message = error instanceof Error ? error.message : String(error);
          if (isCancelled(error)) report({ phase: 'cancelled', done: 0, total: job.total }, true);
          else report({ phase: 'error', done: 0, total: 0, message }, true);
          throw error;
        }
      },
      'export-',
    );
  },
};
