/**
 * Animation exports in a compute host: the training timelapse (saved grids beside the loss
 * curves) and PNG frames sent with the call (a projection's animation), as GIF, MP4 or WebM.
 * Frames are produced one at a time with a turn of the event loop between them, so a cancel
 * request is seen; progress goes out as 'export.progress' like a walk export's.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { invertContract } from '../../shared/contract/invert';
import { cancelled, invalid, isCancelled, notFound } from '../../shared/errors';
import type { AnimationExportOptions, AnimationExportResult } from '../../shared/types';
import { throwIfCancelled, yieldToLoop, type TaskContext, type TasksOf } from '../handler-types';
import { progressReporter } from '../latent/tasks';
import { timelapseFrames, timelapseLayout } from '../timelapse/frames';
import { animationFormatOf, exportAnimation, type AnimationFormat } from './animation';
import { toRgbaFrame, type RgbaFrame } from './frames';

function formatOf(options: AnimationExportOptions): AnimationFormat {
  if (options.format) return options.format;
  try {
    return animationFormatOf(options.out);
  } catch (err) {
    throw invalid((err as Error).message);
  }
}

/** Runs one export: frames from `source`, progress, cancel; a cancelled or failed export writes nothing. */
async function runExport(
  ctx: TaskContext,
  id: string | undefined,
  options: AnimationExportOptions,
  size: { width: number; height: number; frames: number },
  source: AsyncIterable<RgbaFrame>,
): Promise<AnimationExportResult> {
  const folder = path.dirname(options.out);
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) throw notFound(`Cannot export to ${options.out}: folder ${folder} does not exist`);
  const format = formatOf(options);
  const report = progressReporter(ctx, id ?? '', options.out);
  const scale = options.scale ?? 1;
  const total = size.frames;
  let done = 0;
  async function* frames(): AsyncGenerator<RgbaFrame> {
    for await (const frame of source) {
      throwIfCancelled(ctx.signal, 'Export cancelled');
      yield scale === 1 ? frame : toRgbaFrame(frame.data as Uint8Array, frame.width, frame.height, 4, scale);
      report({ phase: 'render', done: ++done, total });
      await yieldToLoop();
    }
  }
  report({ phase: 'render', done: 0, total }, true);
  try {
    const result = await exportAnimation(frames(), {
      out: options.out,
      format,
      fps: options.fps,
      width: size.width * scale,
      height: size.height * scale,
      totalFrames: total,
      signal: ctx.signal,
    });
    report({ phase: 'done', done: total, total }, true);
    return result;
  } catch (error) {
    // The encoders say "cancelled" in plain Errors: the signal tells it was the person's doing.
    if (isCancelled(error) || ctx.signal.aborted) {
      report({ phase: 'cancelled', done, total }, true);
      throw cancelled('Export cancelled');
    }
    report({ phase: 'error', done: 0, total: 0, message: error instanceof Error ? error.message : String(error) }, true);
    throw error;
  }
}

/** PNG (base64) frames -> RGBA frames, all the size of the first. */
async function* decodeFrames(pngs: string[], width: number, height: number): AsyncGenerator<RgbaFrame> {
  for (const [i, b64] of pngs.entries()) {
    let decoded;
    try {
      decoded = await sharp(Buffer.from(b64, 'base64')).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    } catch {
      throw invalid(`Frame ${i} is not a readable image`);
    }
    const { info } = decoded;
    if (info.width !== width || info.height !== height) throw invalid(`Frame ${i} is ${info.width}×${info.height}; the first is ${width}×${height}`);
    yield { data: new Uint8Array(decoded.data), width, height };
  }
}

export const exportTasks: Pick<TasksOf<typeof invertContract>, 'exportTimelapse' | 'exportFrames'> = {
  exportTimelapse: async (project, { options, id }, ctx) => {
    const grids = project.sampleGrids().map((g) => ({ step: g.step, epoch: g.epoch, png: project.sampleGridImage(g.step) }));
    if (grids.length === 0) throw invalid('There are no sample grids to make a timelapse from: train first');
    const style = { title: project.name, chartWidth: options.chartWidth };
    const layout = await timelapseLayout(grids, style);
    const { chartWidth: _chartWidth, ...rest } = options;
    return runExport(ctx, id, rest, layout, timelapseFrames(grids, project.metrics(), style));
  },

  exportFrames: async ({ frames, options, id }, ctx) => {
    let first;
    try {
      first = await sharp(Buffer.from(frames[0], 'base64')).metadata();
    } catch {
      throw invalid('Frame 0 is not a readable image');
    }
    if (!first.width || !first.height) throw invalid('Frame 0 is not a readable image');
    return runExport(ctx, id, options, { width: first.width, height: first.height, frames: frames.length }, decodeFrames(frames, first.width, first.height));
  },
};
