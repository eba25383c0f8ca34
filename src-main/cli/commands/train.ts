import path from 'node:path';
import type { BackendReport, MetricRow, TrainingStatus, TrainTarget } from '../../shared/types';
import { BACKEND_CHOICES } from '../../shared/types/backend';
import { choiceOption, formatDuration, num, UsageError } from '../args';
import type { CliCommand } from '../command';
import { note, type Session } from '../session';
import { formatNotice } from './health';

export interface TrainOptions {
  target: TrainTarget;
  backend?: (typeof BACKEND_CHOICES)[number];
  /** Data-parallel workers on the wasm/cpu backends (absent: automatic). */
  workers?: number;
  json?: boolean;
}

const describeBackend = (b: BackendReport) => {
  const skipped = b.attempts.filter((a) => !a.ok).map((a) => `${a.name} (${a.reason})`);
  return `Backend: ${b.active}${skipped.length ? `; skipped ${skipped.join(', ')}` : ''}`;
};

function printRow(r: MetricRow, status: TrainingStatus | null, json: boolean): void {
  if (json) {
    const { step, epoch, dLoss, gLoss, dReal, dFake, imagesPerSec, backend } = r;
    process.stdout.write(JSON.stringify({ step, epoch, dLoss, gLoss, dReal, dFake, imagesPerSec, backend }) + '\n');
    return;
  }
  note(
    `step ${r.step}/${status?.targetStep || '∞'} epoch ${r.epoch.toFixed(2)} | D ${r.dLoss.toFixed(3)} G ${r.gLoss.toFixed(3)} | ` +
      `D(x) ${r.dReal.toFixed(2)} D(G(z)) ${r.dFake.toFixed(2)} | ${r.imagesPerSec.toFixed(0)} img/s | ETA ${formatDuration(status?.etaSeconds ?? null)}`,
  );
}

/**
 * Trains through the engine in this process, printing each logged step. Ctrl-C / SIGTERM ask for
 * a clean stop (the run finishes its step, writes a checkpoint and a grid); a second Ctrl-C quits.
 */
export async function trainProject(session: Session, dir: string, opts: TrainOptions): Promise<TrainingStatus> {
  const summary = await session.call('openProject', { dir });
  if (summary.step > 0) note(`Resuming from step ${summary.step}`);
  let status: TrainingStatus | null = null;
  let announced = false;
  let resolveEnd: (s: TrainingStatus) => void = () => {};
  const ended = new Promise<TrainingStatus>((resolve) => (resolveEnd = resolve));
  const offs = [
    await session.on('training.metrics', (e) => e.dir === summary.dir && e.rows.forEach((r) => printRow(r, status, opts.json ?? false))),
    // Run-health notices as they are raised (scores of new checkpoints are made between steps).
    await session.on('training.health', (h) => h.dir === summary.dir && h.notices.forEach((n) => note(`Run health: ${formatNotice(n)}`))),
    await session.on('training.status', (s) => {
      if (s.dir !== summary.dir) return;
      status = s;
      if (s.backend && !announced) {
        announced = true;
        note(describeBackend(s.backend) + (s.workers ? `; ${s.workers} training workers` : ''));
      }
      if (s.state === 'finished' || s.state === 'idle' || s.state === 'error') resolveEnd(s);
    }),
  ];
  let stopping = false;
  const onSignal = () => {
    if (stopping) process.exit(130); // second Ctrl-C: the user really wants out
    stopping = true;
    note('\nStopping: saving a checkpoint...');
    void session.call('stopTraining', { dir: summary.dir }).catch(() => undefined);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await session.call(
      'startTraining',
      { dir: summary.dir, ...opts.target, backend: opts.backend, workers: opts.workers },
      { moreSteps: 'steps', untilStep: 'until', epochs: 'epochs', workers: 'workers' },
    );
    const final = await ended;
    if (final.state === 'error') throw new Error(final.message ?? 'training failed');
    note(`Stopped at step ${final.step} (checkpoint saved; samples in ${path.join(summary.dir, 'samples')})`);
    return final;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    for (const off of offs) off();
  }
}

export const trainCommand: CliCommand = {
  name: 'train',
  summary: 'train more steps (default: one epoch), resuming from the newest checkpoint',
  usage:
    'train <dir> [--steps N (more) | --until N (in all) | --epochs N] [--batch 64] [--backend auto|tensorflow-gpu|tensorflow|wasm|cpu] [--workers N|auto] [--json]',
  positionals: ['dir'],
  options: {
    steps: { type: 'string' },
    until: { type: 'string' },
    epochs: { type: 'string' },
    batch: { type: 'string' },
    backend: { type: 'string' },
    workers: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values: v, positionals }, session) {
    const given = (['steps', 'until', 'epochs'] as const).filter((k) => v[k] !== undefined);
    if (given.length > 1) throw new UsageError(`give one of --steps, --until or --epochs, not ${given.map((g) => `--${g}`).join(' and ')}`);
    const batch = num('batch', v.batch);
    if (batch !== undefined) {
      const { config } = await session.call('openProject', { dir: positionals[0] });
      // The batch size is part of the project (data order and resume depend on it).
      if (batch !== config.train.batchSize) {
        throw new UsageError(
          `this project trains with batch ${config.train.batchSize}; the batch size is fixed at creation (ganvas new --batch)`,
        );
      }
    }
    // No target means one epoch: an explicit, finite default for a command run from a terminal.
    const target: TrainTarget =
      v.steps !== undefined
        ? { moreSteps: num('steps', v.steps) }
        : v.until !== undefined
          ? { untilStep: num('until', v.until) }
          : { epochs: num('epochs', v.epochs) ?? 1 };
    await trainProject(session, positionals[0], {
      target,
      backend: choiceOption('backend', v.backend, BACKEND_CHOICES),
      workers: v.workers === 'auto' ? undefined : num('workers', v.workers),
      json: v.json === true,
    });
  },
};
