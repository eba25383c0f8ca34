/**
 * Latent explorer API: the sample gallery, walk planning and frame rendering, and exports.
 * Gallery files are plain JSON handled here; everything that runs G goes to the inference worker.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { parseInput } from '../../shared/contract';
import type { ExportProgress, WalkExportResult } from '../../shared/types';
import { deleteSample, readGallery, saveSample, sortedGallery, updateSample } from '../latent/gallery';
import { loadProjectConfig } from '../project/project';
import type { EngineApi, EngineContext } from './context';

/** The `export.progress` events of one export, at most ~10 a second (the last always). */
function progressReporter(ctx: EngineContext, id: string, file: string) {
  let last = 0;
  return (p: Omit<ExportProgress, 'id' | 'file'>, force = false) => {
    if (!force && Date.now() - last < 100) return;
    last = Date.now();
    ctx.emit('export.progress', { id, file, ...p });
  };
}

export function latentApi(ctx: EngineContext) {
  const { resolveDir } = ctx;
  const cancelled = new Set<string>();
  const running = new Set<string>();

  return {
    galleryList: async (input) => {
      const dir = resolveDir(parseInput('galleryList', input).dir);
      loadProjectConfig(dir);
      return sortedGallery(readGallery(dir));
    },
    galleryTiles: async (input) => {
      const args = parseInput('galleryTiles', input);
      return ctx.inference().task('galleryTiles', { ...args, dir: resolveDir(args.dir) });
    },
    gallerySave: async (input) => {
      const { dir, sample } = parseInput('gallerySave', input);
      const model = loadProjectConfig(resolveDir(dir)).model;
      return saveSample(resolveDir(dir), model, sample);
    },
    galleryUpdate: async (input) => {
      const { dir, id, ...change } = parseInput('galleryUpdate', input);
      loadProjectConfig(resolveDir(dir));
      return updateSample(resolveDir(dir), id, change);
    },
    galleryDelete: async (input) => {
      const { dir, id } = parseInput('galleryDelete', input);
      loadProjectConfig(resolveDir(dir));
      return sortedGallery(deleteSample(resolveDir(dir), id));
    },
    renderLatents: async (input) => {
      const args = parseInput('renderLatents', input);
      return ctx.inference().task('renderLatents', { ...args, dir: resolveDir(args.dir) });
    },
    walkPlan: async (input) => {
      const args = parseInput('walkPlan', input);
      return ctx.inference().task('walkPlan', { ...args, dir: resolveDir(args.dir) });
    },
    exportWalk: async (input): Promise<WalkExportResult> => {
      const args = parseInput('exportWalk', input);
      const id = args.id ?? randomUUID();
      if (running.has(id)) throw new Error(`An export with id ${id} is already running`);
      const dir = resolveDir(args.dir);
      const options = { ...args.options, out: path.resolve(args.options.out) };
      const report = progressReporter(ctx, id, options.out);
      const worker = ctx.inference();
      running.add(id);
      try {
        const { total } = await worker.task('walkExportBegin', { id, dir, spec: args.spec, options });
        report({ phase: 'render', done: 0, total }, true);
        for (;;) {
          if (cancelled.has(id)) {
            await worker.task('walkExportCancel', { id });
            report({ phase: 'cancelled', done: 0, total }, true);
            throw new Error('Export cancelled');
          }
          const step = await worker.task('walkExportStep', { id });
          if (step.result) {
            report({ phase: 'done', done: step.total, total: step.total }, true);
            return step.result;
          }
          report({ phase: step.phase, done: step.done, total: step.total });
        }
      } catch (error) {
        if (!cancelled.has(id))
          report({ phase: 'error', done: 0, total: 0, message: error instanceof Error ? error.message : String(error) }, true);
        throw error;
      } finally {
        running.delete(id);
        cancelled.delete(id);
      }
    },
    cancelExport: async (input) => {
      const { id } = parseInput('cancelExport', input);
      if (!running.has(id)) return false;
      cancelled.add(id);
      return true;
    },
  } satisfies Partial<EngineApi>;
}
