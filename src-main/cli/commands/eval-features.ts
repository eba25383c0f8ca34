import path from 'node:path';
import { evaluateFeatures, MAX_LABELLED } from '../../engine/eval/feature-eval';
import { choiceOption, intOption, parse, UsageError } from '../args';
import { cliProgress, evalBackend, pct, table } from './eval-common';

export const evalFeaturesUsage =
  'eval-features <dir> [--labels 100,1000,all] [--test 2000] [--loss l2svm|logistic] [--step S] [--seed N] [--json]';

/** --labels 100,1000,all: N labelled examples per run ('all' = the whole pool, at most 10,000). */
function labelCounts(raw: string | undefined): (number | 'all')[] {
  if (raw === undefined) return [100, 1000];
  const out = raw.split(',').map((s) => (s.trim() === 'all' ? ('all' as const) : intOption('labels', s.trim(), 2, MAX_LABELLED)!));
  if (out.length === 0) throw new UsageError('--labels needs at least one number, e.g. 100,1000,all');
  return out;
}

/**
 * D as a feature extractor (paper Sec. 5.1): test accuracy of a linear classifier on the pooled
 * features of the trained D, a random D and raw pixels, for each N. Appends the run to
 * eval/features.jsonl.
 */
export async function evalFeaturesCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(
    argv,
    {
      labels: { type: 'string' },
      test: { type: 'string' },
      loss: { type: 'string' },
      step: { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean' },
    },
    ['dir'],
  );
  const options = {
    labels: labelCounts(values.labels),
    testSize: intOption('test', values.test, 50, 10_000),
    loss: choiceOption('loss', values.loss, ['l2svm', 'logistic'] as const),
    step: intOption('step', values.step, 0),
    seed: intOption('seed', values.seed, 0, 0xffffffff),
  };
  await evalBackend();
  const progress = cliProgress();
  const result = await evaluateFeatures(path.resolve(positionals[0]), options, progress);
  progress.done();
  if (values.json) {
    console.log(JSON.stringify(result, null, 2));
    return;
  }
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
}
