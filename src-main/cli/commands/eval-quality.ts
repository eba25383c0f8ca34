import { num } from '../args';
import { evalCommand, pct, stepsOption, table } from './eval-common';

/**
 * The offline quality score: FD between real test images and samples in the features of a
 * classifier the app trains on the project's labels (cached in eval/fd-classifier.json), per
 * checkpoint; rows go to eval/quality.jsonl.
 */
export const evalQualityCommand = evalCommand({
  name: 'eval-quality',
  summary: "a Fréchet distance per checkpoint in the features of a classifier Ganvas trains on the project's labels (not FID)",
  usage:
    'eval-quality <dir> [--steps new|all|latest|200,400] [--real 2000] [--fake 2000] [--retrain] [--classifier-steps 1000] [--seed N] [--json]',
  method: 'evalQuality',
  options: {
    steps: { type: 'string' },
    real: { type: 'string' },
    fake: { type: 'string' },
    retrain: { type: 'boolean' },
    'classifier-steps': { type: 'string' },
  },
  input: (v, dir) => ({
    dir,
    steps: stepsOption(v.steps, 'new'),
    nReal: num('real', v.real),
    nFake: num('fake', v.fake),
    retrain: v.retrain === true,
    classifierSteps: num('classifier-steps', v['classifier-steps']),
    seed: num('seed', v.seed),
  }),
  flags: { steps: 'steps', nReal: 'real', nFake: 'fake', classifierSteps: 'classifier-steps', seed: 'seed' },
  print(result) {
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
  },
});
