import path from 'node:path';
import { BACKEND_ORDER, selectBackend } from '../../engine/backend/select';
import { Trainer } from '../../engine/train/trainer';
import { choiceOption, formatDuration, intOption, numberOption, parse, UsageError } from '../args';

export const trainUsage =
  'train <dir> [--steps N | --epochs N] [--batch 64] [--backend auto|tensorflow-gpu|tensorflow|wasm|cpu] [--json]';

/**
 * Trains in this process (a CLI run is its own process). Ctrl-C / SIGTERM ask for a clean stop:
 * the loop finishes its step, writes a checkpoint and a grid, and the command exits 0.
 */
export async function trainCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(
    argv,
    {
      steps: { type: 'string' },
      epochs: { type: 'string' },
      batch: { type: 'string' },
      backend: { type: 'string' },
      json: { type: 'boolean' },
    },
    ['dir'],
  );
  const steps = intOption('steps', values.steps, 1);
  const epochs = numberOption('epochs', values.epochs, 0.001, 1e6);
  if (steps !== undefined && epochs !== undefined) throw new UsageError('give --steps or --epochs, not both');
  const batch = intOption('batch', values.batch, 2, 1024);
  const backendChoice = choiceOption('backend', values.backend, ['auto', ...BACKEND_ORDER] as const) ?? 'auto';
  const dir = path.resolve(positionals[0]);

  const backend = await selectBackend(backendChoice);
  const trainer = Trainer.open(dir, backend);
  if (batch !== undefined && batch !== trainer.config.train.batchSize) {
    // The batch size is part of the project (data order and resume depend on it).
    trainer.dispose();
    throw new UsageError(
      `this project trains with batch ${trainer.config.train.batchSize}; the batch size is fixed at creation (ganvas new --batch)`,
    );
  }
  const skipped = backend.attempts.filter((a) => !a.ok).map((a) => `${a.name} (${a.reason})`);
  process.stderr.write(`Backend: ${backend.active}${skipped.length ? `; skipped ${skipped.join(', ')}` : ''}\n`);
  // No target means one epoch: an explicit, finite default for a command run from a terminal.
  const target = steps !== undefined ? { steps: trainer.step + steps } : { epochs: epochs ?? 1 };
  if (trainer.step > 0) process.stderr.write(`Resuming from step ${trainer.step}\n`);

  let stop = false;
  const onSignal = () => {
    if (stop) process.exit(130); // second Ctrl-C: the user really wants out
    stop = true;
    process.stderr.write('\nStopping: saving a checkpoint...\n');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const final = await trainer.run(
      target,
      { stopRequested: () => stop, whilePaused: async () => undefined },
      {
        onMetrics: (rows) => {
          for (const r of rows) {
            if (values.json) {
              const { step, epoch, dLoss, gLoss, dReal, dFake, imagesPerSec, backend: b } = r;
              process.stdout.write(JSON.stringify({ step, epoch, dLoss, gLoss, dReal, dFake, imagesPerSec, backend: b }) + '\n');
            } else {
              const s = trainer.status('running', trainer.resolveTarget(target));
              process.stderr.write(
                `step ${r.step}/${s.targetStep} epoch ${r.epoch.toFixed(2)} | D ${r.dLoss.toFixed(3)} G ${r.gLoss.toFixed(3)} | ` +
                  `D(x) ${r.dReal.toFixed(2)} D(G(z)) ${r.dFake.toFixed(2)} | ${r.imagesPerSec.toFixed(0)} img/s | ETA ${formatDuration(s.etaSeconds)}\n`,
              );
            }
          }
        },
      },
    );
    process.stderr.write(`Stopped at step ${final.step} (checkpoint saved; samples in ${path.join(dir, 'samples')})\n`);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    trainer.dispose();
  }
}
