import path from 'node:path';
import { evaluateQuality } from '../../engine/eval/quality';
import { intOption, parse } from '../args';
import { cliProgress, evalBackend, pct, stepsOption, table } from './eval-common';

export const evalQualityUsage =
  'eval-quality <dir> [--steps new|all|latest|200,400] [--real 2000] [--fake 2000] [--retrain] [--classifier-steps 1000] [--seed N] [--json]';

/**
 * The offline quality score: FD between real test images and samples in the features of a
 * classifier the app trains on the project's labels (cached in eval/fd-classifier.json), per
 * checkpoint; rows go to eval/quality.jsonl.
 */
export async function evalQualityCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(
    argv,
    {
      steps: { type: 'string' },
      real: { type: 'string' },
      fake: { type: 'string' },
      retrain: { type: 'boolean' },
      'classifier-steps': { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean' },
    },
    ['dir'],
  );
  const options = {
    steps: stepsOption(values.steps, 'new'),
    nReal: intOption('real', values.real, 100, 10_000),
    nFake: intOption('fake', values.fake, 100, 10_000),
    retrain: Boolean(values.retrain),
    classifierSteps: intOption('classifier-steps', values['classifier-steps'], 10, 20_000),
    seed: intOption('seed', values.seed, 0, 0xffffffff),
  };
  await evalBackend();
  const progress = cliProgress();
  const result = await evaluateQuality(path.resolve(positionals[0]), options, progress);
  progress.done();
  if (values.json) {
    console.log(JSON.stringify(result, null, 2));
    return;
  }
  const c = result.classifier;
  console.log(
    `Classifier ${c.id}: ${pct(c.testAccuracy)} on ${c.testImages} test images (trained ${c.trainSteps} steps on ${c.trainImages} images)`,
  );
  if (result.rows.length === 0) {
    console.log('No checkpoint scored yet (train first, or pass --steps latest to score the untrained generator).');
    return;
  }
  const best = result.rows.reduce((a, b) => (b.fd < a.fd ? b : a));
  console.log(
    `FD (lower is better), ${result.rows[0].nReal} real vs ${result.rows[0].nFake} generated; real-vs-real floor ${result.rows[0].realFloor.toFixed(2)}`,
  );
  console.log(
    table(
      ['step', 'epoch', 'FD', ''],
      result.rows.map((r) => [
        r.step,
        r.epoch.toFixed(2),
        r.fd.toFixed(2),
        r === best ? '<- best' : result.evaluated.includes(r.step) ? 'new' : '',
      ]),
    ),
  );
  for (const s of result.skipped) console.log(`Skipped step ${s.step}: ${s.reason}`);
}
