/**
 * Feature visualisation by optimisation as a task in a compute host: Excitation.step in chunks
 * of ~150 ms with progress between them, stopping at the next chunk once cancelled.
 */
import type { invertContract } from '../../shared/contract/invert';
import { throwIfCancelled, yieldToLoop, type TasksOf } from '../handler-types';
import { analysisReporter } from '../invert/progress';
import { asInvalid } from '../invert/projection-task';
import { framePngs } from '../latent/tasks';
import { Excitation } from './excite';

const CHUNK_MS = 150;

export const exciteTasks: Pick<TasksOf<typeof invertContract>, 'inspectExcite'> = {
  inspectExcite: async (project, { layer, channel, steps, restarts, seed, classIndex, id }, ctx) => {
    const { model } = project.config;
    const report = analysisReporter(ctx, { id: id ?? '', dir: project.dir, kind: 'excite' });
    return project.withGanAt(
      project.ganAt().step,
      async (gan) => {
        const started = performance.now();
        const job = asInvalid(() => Excitation.begin({ G: gan.G, D: gan.D, model }, { layer, channel, steps, restarts, seed, classIndex }));
        try {
          while (!job.done) {
            throwIfCancelled(ctx.signal, 'Feature optimisation cancelled');
            const chunk = performance.now();
            let p = job.step(1);
            while (!job.done && performance.now() - chunk < CHUNK_MS) p = job.step(1);
            report({ phase: 'optimise', done: p.step, total: job.steps, value: p.best });
            await yieldToLoop();
          }
          const r = job.result();
          const [pngBase64] = await framePngs(model, r.image, 1);
          report({ phase: 'done', done: r.steps, total: r.steps, value: r.activation }, true);
          return {
            net: r.net,
            layer: r.layer,
            channel: r.channel,
            pngBase64,
            z: r.z ? Array.from(r.z) : null,
            label: r.label,
            activation: r.activation,
            baseline: r.baseline,
            history: r.history,
            steps: r.steps,
            step: gan.step,
            seconds: (performance.now() - started) / 1000,
          };
        } finally {
          job.dispose();
        }
      },
      'excite-',
    );
  },
};
