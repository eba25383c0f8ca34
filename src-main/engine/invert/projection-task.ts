/**
 * Projection as a task in a compute host: the image from where the call says (a file, bytes sent
 * with the call, a dataset image, a gallery sample's render), then Projection.step in chunks of
 * ~150 ms with progress (and the best reconstruction so far) between them, stopping at the next
 * chunk once cancelled.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { invertContract } from '../../shared/contract/invert';
import { GanvasError, invalid, notFound } from '../../shared/errors';
import type { ModelConfig, ProjectionImage, ProjectionOutcome } from '../../shared/types';
import { throwIfCancelled, yieldToLoop, type TasksOf } from '../handler-types';
import { findSample } from '../latent/gallery';
import { framesFromRows, renderFrames } from '../latent/render';
import { bytesToGrid, frameBytes } from '../latent/export/pixels';
import type { GanAt } from '../project/models';
import type { Project } from '../project/project';
import { encodePng } from '../sampling/grid';
import { rmse01 } from './loss';
import { Projection, type ProjectionResult } from './projector';
import { analysisReporter } from './progress';
import { targetFromImageFile } from './target';

/** Larger files are not images anyone means to project (and would only fill memory). */
const MAX_IMAGE_FILE_BYTES = 64 * 1024 * 1024;
/** Steps run between progress reports and cancel checks: about this many milliseconds. */
const CHUNK_MS = 150;
/** The live preview is re-rendered at most this often. */
const PREVIEW_MS = 400;

export interface ProjectionTarget {
  target: Float32Array;
  name: string;
  /** The class it is known to have (a dataset label, a sample's class), for conditional models. */
  label: number | null;
}

function readImageFile(file: string): Uint8Array {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw notFound(`There is no image file ${file}`);
  }
  if (!stat.isFile()) throw invalid(`${file} is not a file`);
  if (stat.size > MAX_IMAGE_FILE_BYTES)
    throw invalid(`${path.basename(file)} is ${Math.round(stat.size / 2 ** 20)} MB: too big for an image`);
  return fs.readFileSync(file);
}

/** The image a projection matches, as G's output would show it. */
export async function projectionTarget(project: Project, gan: GanAt, image: ProjectionImage): Promise<ProjectionTarget> {
  const { model } = project.config;
  switch (image.kind) {
    case 'file':
      return { target: await targetFromImageFile(readImageFile(image.path), model), name: path.basename(image.path), label: null };
    case 'bytes':
      return {
        target: await targetFromImageFile(Buffer.from(image.base64, 'base64'), model),
        name: image.name || 'dropped image',
        label: null,
      };
    case 'dataset':
      return datasetTarget(project, image.index);
    case 'sample': {
      const sample = findSample(project, image.id);
      const target = renderFrames(gan.G, model, framesFromRows(model, [{ z: sample.z, label: sample.label }]));
      return { target, name: sample.name, label: sample.label };
    }
  }
}

function datasetTarget(project: Project, index: number): ProjectionTarget {
  if (!fs.existsSync(project.files.dataset)) throw notFound('This project has no dataset images to project');
  const data = project.openDataset({ inMemoryLimitBytes: 0 });
  try {
    if (index >= data.count) throw invalid(`The dataset has images 0..${data.count - 1}; there is no image ${index}`);
    const batch = data.readBatch([index]);
    const label = data.classes.length > 0 ? batch.labels[0] : null;
    const className = label !== null ? ` (${data.classes[label]})` : '';
    return { target: batch.images, name: `dataset image ${index}${className}`, label };
  } finally {
    data.close();
  }
}

const png = async (model: ModelConfig, image: Float32Array) =>
  (
    await encodePng({
      data: frameBytes(image, 0, model.size, model.channels),
      width: model.size,
      height: model.size,
      channels: model.channels,
    })
  ).toString('base64');

/** The wire form of a result: PNGs for the images, the animation as [target | reconstruction] frames. */
export async function projectionOutcome(
  model: ModelConfig,
  r: ProjectionResult,
  step: number,
  sourceName: string,
): Promise<ProjectionOutcome> {
  const { size, channels } = model;
  const targetBytes = frameBytes(r.target, 0, size, channels);
  const animation = await Promise.all(
    r.frames.map(async (f) => {
      const pair = bytesToGrid([targetBytes, frameBytes(f.image, 0, size, channels)], size, channels, 2);
      return { step: f.step, png: (await encodePng(pair)).toString('base64') };
    }),
  );
  return {
    z: Array.from(r.z),
    label: r.label,
    step,
    sourceName,
    targetPng: await png(model, r.target),
    reconstructionPng: await png(model, r.image),
    pixelError: r.pixelError,
    psnr: r.psnr,
    perceptualError: r.perceptualError,
    zRadius: r.zRadius,
    loss: r.loss,
    steps: r.steps,
    stopped: r.stopped,
    seconds: r.seconds,
    bestRestart: r.runs[r.bestRun]?.restart ?? 0,
    restarts: r.runs.map((run) => ({ restart: run.restart, label: run.label, loss: run.loss, pixelError: rmse01(run.pixel) })),
    animation,
  };
}

/** Option errors of the optimisers are plain Errors in places: a request's fault, so 'invalid'. */
export function asInvalid<T>(make: () => T): T {
  try {
    return make();
  } catch (err) {
    if (err instanceof Error && !(err instanceof GanvasError)) throw invalid(err.message);
    throw err;
  }
}

export const projectionTasks: Pick<TasksOf<typeof invertContract>, 'invertImage'> = {
  invertImage: async (project, { image, steps, restarts, seed, classIndex, earlyStop, id }, ctx) => {
    const { model } = project.config;
    const report = analysisReporter(ctx, { id: id ?? '', dir: project.dir, kind: 'projection' });
    report({ phase: 'prepare', done: 0, total: steps ?? 500 }, true);
    // A projection yields for a minute or more: it keeps a G and D of its own (see exportWalk).
    return project.withGanAt(
      project.ganAt().step,
      async (gan) => {
        const source = await projectionTarget(project, gan, image);
        const known = model.numClasses > 0 ? (classIndex ?? source.label ?? undefined) : undefined;
        const job = asInvalid(() =>
          Projection.begin({ G: gan.G, D: gan.D, model }, source.target, {
            steps,
            restarts,
            seed,
            classIndex: known,
            ...(earlyStop === false && { patience: 0 }),
          }),
        );
        try {
          let lastPreview = 0;
          while (!job.done) {
            throwIfCancelled(ctx.signal, 'Projection cancelled');
            const started = performance.now();
            let p = job.step(1);
            while (!job.done && performance.now() - started < CHUNK_MS) p = job.step(1);
            const now = performance.now();
            const preview = now - lastPreview >= PREVIEW_MS ? job.preview() : null;
            if (preview) lastPreview = now;
            const update = { phase: 'optimise' as const, done: p.step, total: p.totalSteps, value: p.bestPixelError };
            report(preview ? { ...update, previewPng: await png(model, preview) } : update, preview !== null);
            await yieldToLoop();
          }
          const outcome = await projectionOutcome(model, job.result(), gan.step, source.name);
          report({ phase: 'done', done: outcome.steps, total: outcome.steps, value: outcome.pixelError }, true);
          return outcome;
        } finally {
          job.dispose();
        }
      },
      'invert-',
    );
  },
};
