/**
 * Worker tasks for the latent explorer: gallery tiles, rendering rows, planning walks, and
 * exports driven step by step from the engine (which reports progress and can cancel between
 * steps, while the renderer's own frame requests still get their turn).
 */
import type { GalleryTile, ModelConfig, WalkExportOptions, WalkPlan, WalkSpec } from '../../shared/types';
import { encodePng } from '../sampling/grid';
import { latentVectors } from '../sampling/noise';
import { gridLabels } from '../sampling/sampler';
import { deriveSeed, Stream } from '../util/rng';
import { loadInferenceGan, type InferenceModel } from '../worker/inference';
import type { Task } from '../worker/tasks';
import { endpointResolver } from './endpoints';
import { frameBytes } from './export/pixels';
import { WalkExport, type ExportStepResult } from './export/walk-export';
import { planWalk, type PlannedFrame, type PlannedWalk } from './plan';
import { framesFromRows, renderFrames } from './render';

/** Plans a walk for a loaded project. */
export function planFor(m: InferenceModel, spec: WalkSpec): PlannedWalk {
  return planWalk(spec, m.config.model, endpointResolver(m.dir, m.config.model));
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

/** The export source of a loaded project: what WalkExport needs from the model. */
export function exportSource(m: InferenceModel) {
  return {
    model: m.config.model,
    projectName: m.config.name,
    step: m.step,
    render: (frames: PlannedFrame[]) => renderFrames(m.gan.G, m.config.model, frames),
  };
}

const runningExports = new Map<string, WalkExport>();

export const latentTasks = {
  galleryTiles: (async ({ dir, seed, count, classIndex }) => {
    const m = loadInferenceGan(dir);
    const { model } = m.config;
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
    const pngs = await framePngs(model, renderFrames(m.gan.G, model, frames), count);
    return frames.map((f, i) => ({ z: Array.from(f.z), label: labels?.[i] ?? null, seed, index: i, pngBase64: pngs[i] }));
  }) as Task<{ dir: string; seed: number; count: number; classIndex?: number }, GalleryTile[]>,

  renderLatents: (async ({ dir, rows, scale }) => {
    const m = loadInferenceGan(dir);
    const frames = framesFromRows(m.config.model, rows);
    return framePngs(m.config.model, renderFrames(m.gan.G, m.config.model, frames), frames.length, scale ?? 1);
  }) as Task<{ dir: string; rows: { z: number[]; label?: number | number[] | null }[]; scale?: number }, string[]>,

  walkPlan: (async ({ dir, spec }) => {
    const m = loadInferenceGan(dir);
    const planned = planFor(m, spec);
    return {
      frames: planned.frames.map((f) => ({ z: Array.from(f.z), label: f.label ? Array.from(f.label) : null })),
      keyFrames: planned.keyFrames,
      step: m.step,
    };
  }) as Task<{ dir: string; spec: WalkSpec }, WalkPlan>,

  walkExportBegin: (async ({ id, dir, spec, options }) => {
    if (runningExports.has(id)) throw new Error(`An export with id ${id} is already running`);
    const m = loadInferenceGan(dir);
    const job = new WalkExport(exportSource(m), spec, planFor(m, spec), options);
    runningExports.set(id, job);
    return { total: job.total };
  }) as Task<{ id: string; dir: string; spec: WalkSpec; options: WalkExportOptions }, { total: number }>,

  walkExportStep: (async ({ id }) => {
    const job = runningExports.get(id);
    if (!job) throw new Error(`No export with id ${id} is running`);
    try {
      const progress = await job.step();
      if (progress.result) runningExports.delete(id);
      return progress;
    } catch (error) {
      runningExports.delete(id);
      throw error;
    }
  }) as Task<{ id: string }, ExportStepResult>,

  walkExportCancel: (async ({ id }) => runningExports.delete(id)) as Task<{ id: string }, boolean>,
};
