/**
 * Discovered directions in a compute host: the discovery in steps (progress, cancel), an
 * optional sheet of them, and frames of base + amounts x directions (sliders, sweeps).
 */
import type { invertContract } from '../../shared/contract/invert';
import { invalid } from '../../shared/errors';
import type { DirectionsResult } from '../../shared/types';
import { throwIfCancelled, yieldToLoop, type TasksOf } from '../handler-types';
import { analysisReporter } from '../invert/progress';
import { asInvalid } from '../invert/projection-task';
import { oneHotRow } from './walks';
import { directionSheet } from './direction-sheet';
import { DirectionDiscovery } from './directions';
import { framePngs } from './tasks';
import { drawFrames } from './render';

export const directionTasks: Pick<TasksOf<typeof invertContract>, 'directionsDiscover' | 'directionFrames'> = {
  directionsDiscover: async (project, { count, samples, seed, sheet, id }, ctx) => {
    const { model } = project.config;
    const report = analysisReporter(ctx, { id: id ?? '', dir: project.dir, kind: 'directions' });
    return project.withGanAt(
      project.ganAt().step,
      async (gan) => {
        const started = performance.now();
        const job = asInvalid(() => DirectionDiscovery.begin(gan.G, model, { count, samples, seed }));
        try {
          while (!job.done) {
            throwIfCancelled(ctx.signal, 'Direction discovery cancelled');
            const p = job.step();
            if (p.phase !== 'done') report({ phase: p.phase, done: p.done, total: p.total });
            await yieldToLoop();
          }
        } finally {
          job.dispose();
        }
        const found = job.directions();
        const result: DirectionsResult = {
          layer: found.layer,
          samples: found.samples,
          seed: found.seed,
          step: gan.step,
          totalVariance: found.totalVariance,
          directions: found.directions.map((v, i) => ({
            rank: i + 1,
            vector: Array.from(v),
            explainedVariance: found.explainedVariance[i],
            variance: found.variance[i],
          })),
          seconds: (performance.now() - started) / 1000,
        };
        if (sheet) {
          if (sheet.base && sheet.base.z.length !== model.zDim)
            throw invalid(`The sheet's base z has ${sheet.base.z.length} numbers; the model's has ${model.zDim}`);
          const made = await directionSheet(ctx.drawer(project, gan), model, found.directions, {
            base: sheet.base ? Float32Array.from(sheet.base.z) : undefined,
            label: sheet.base?.label ?? null,
            seed: found.seed,
            span: sheet.span,
            columns: sheet.columns,
          });
          result.sheet = { pngBase64: made.png.toString('base64'), width: made.width, height: made.height, offsets: made.offsets };
        }
        report({ phase: 'done', done: 1, total: 1 }, true);
        return result;
      },
      'directions-',
    );
  },

  directionFrames: async (project, { base, vectors, amounts, scale }, ctx) => {
    const { model } = project.config;
    const wrong = [base.z, ...vectors].find((v) => v.length !== model.zDim);
    if (wrong) throw invalid(`A vector has ${wrong.length} numbers; this model's z has ${model.zDim}`);
    if (amounts.some((row) => row.length !== vectors.length))
      throw invalid(`Each frame needs one amount per direction (${vectors.length})`);
    if (model.numClasses > 0 && (base.label === null || base.label >= model.numClasses))
      throw invalid(`A conditional model's base needs a class from 0 to ${model.numClasses - 1}`);
    const label = model.numClasses > 0 ? base.label : null;
    const frames = amounts.map((row) => {
      const z = Float32Array.from(base.z);
      row.forEach((a, i) => {
        if (a !== 0) for (let d = 0; d < z.length; d++) z[d] += a * vectors[i][d];
      });
      return { z, label: label === null ? null : oneHotRow(label, model.numClasses) };
    });
    const gan = project.ganAt();
    const pngs = await framePngs(model, await drawFrames(ctx.drawer(project, gan), model, frames), frames.length, scale ?? 1);
    return { label, step: gan.step, frames: frames.map((f, i) => ({ z: Array.from(f.z), pngBase64: pngs[i] })) };
  },
};
