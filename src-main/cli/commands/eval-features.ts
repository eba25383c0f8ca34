import { choiceOption, num, UsageError } from '../args';
import { evalCommand, pct, table } from './eval-common';

/** --labels 100,1000,all: N labelled examples per run ('all' = the whole pool, at most 10,000). */
function labelCounts(raw: string | boolean | undefined): (number | 'all')[] {
  if (raw === undefined) return [100, 1000];
  const out = String(raw)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => (s === 'all' ? ('all' as const) : num('labels', s)!));
  if (out.length === 0) throw new UsageError('--labels needs at least one number, e.g. 100,1000,all');
  return out;
}

/**
 * D as a feature extractor (paper Sec. 5.1): test accuracy of a linear classifier on the pooled
 * features of the trained D, a random D and raw pixels, for each N. Appends the run to
 * eval/features.jsonl.
 */
export const evalFeaturesCommand = evalCommand({
  name: 'eval-features',
  summary: 'D as a feature extractor (Sec. 5.1): linear-classifier accuracy vs N, beside a random D and pixels',
  usage: 'eval-features <dir> [--labels 100,1000,all] [--test 2000] [--loss l2svm|logistic] [--step S] [--seed N] [--json]',
  method: 'evalFeatures',
  options: { labels: { type: 'string' }, test: { type: 'string' }, loss: { type: 'string' }, step: { type: 'string' } },
  input: (v, dir) => ({
    dir,
    labels: labelCounts(v.labels),
    testSize: num('test', v.test),
    loss: choiceOption('loss', v.loss, ['l2svm', 'logistic'] as const),
    step: num('step', v.step),
    seed: num('seed', v.seed),
  }),
  flags: { labels: 'labels', testSize: 'test', step: 'step', seed: 'seed' },
  print(result) {
    const methods = result.methods;
    console.log(
      `Linear ${result.loss === 'l2svm' ? 'L2-SVM' : 'logistic regression'} on ${result.testSize} test images (seed ${result.seed}, D from step ${result.step}, ${result.seconds} s)`,
    );
    console.log(
      table(
        ['N', ...methods.map((m) => `${m.label} (${m.dim}-d)`)],
        result.rows.map((r) => [r.n, ...methods.map((m) => pct(r.results.find((x) => x.method === m.method)!.accuracy))]),
      ),
    );
    for (const note of result.notes) console.log(`Note: ${note}`);
  },
});
