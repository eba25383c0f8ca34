/**
 * Run health on real training: a short MNIST run scored label-free at every checkpoint, checked
 * against the labelled score (eval/quality.ts); the same run's history raises no collapse or
 * imbalance notice; a generator made to collapse and a discriminator made too strong are caught.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src-main/engine/backend/select';
import { tf } from '../../src-main/engine/backend/tf';
import { openProjectDataset } from '../../src-main/engine/eval/dataset';
import { evaluateQuality } from '../../src-main/engine/eval/quality';
import { cacheSource } from '../../src-main/engine/eval/sources';
import { evalSplit } from '../../src-main/engine/eval/split';
import { chooseBestCheckpoint } from '../../src-main/engine/health/best';
import { detectDiscriminatorOverpowering } from '../../src-main/engine/health/detect-training';
import { diagnose } from '../../src-main/engine/health/diagnose';
import { FeatureNet } from '../../src-main/engine/health/feature-net';
import { spearman } from '../../src-main/engine/health/ranks';
import { prepareReference, scoreGenerator, type RealReference } from '../../src-main/engine/health/score';
import type { GanAt } from '../../src-main/engine/project/models';
import { Project } from '../../src-main/engine/project/project';
import { Trainer } from '../../src-main/engine/train/trainer';
import type { HealthRecord } from '../../src-main/shared/types/health';
import { tinyMnist } from '../helpers/projects';

const STEPS = 320;
const EVERY = 40;
const N = 400;
const HYPER = { logEvery: 4, sampleEvery: 100_000, checkpointEvery: EVERY, keepLast: 100, keepEvery: 0 };
const run = { stopRequested: () => false, whilePaused: async () => undefined };

let project: Project;
let space: FeatureNet;
let reference: RealReference;
const records: HealthRecord[] = [];
let fixed: Float32Array[] = [];

/** Scores G at `step` (with `edit` applied to its weights first) and appends the record. */
async function score(step: number, edit?: (G: GanAt['G']) => void, at = step): Promise<HealthRecord> {
  const { config } = project;
  return project.withGanAt(step, async (nets) => {
    edit?.(nets.G);
    const result = await scoreGenerator(space, reference, nets.G, config.model, {
      step: at,
      seed: config.train.seed,
      previousFixed: fixed,
    });
    fixed = [...fixed, result.fixed!].slice(-2);
    return result.record;
  });
}

beforeAll(async () => {
  const backend = await selectBackend('wasm');
  project = await tinyMnist({ hyper: HYPER });
  const trainer = Trainer.open(project, backend);
  await trainer.run({ moreSteps: STEPS }, run);
  trainer.dispose();
  space = FeatureNet.random(28, 1, 1);
  const cache = openProjectDataset(project);
  try {
    // Real images the GAN's score never trained on: the evaluation split's test region (2N: reference + floor).
    const split = evalSplit(cache.count, 7, 2 * N);
    reference = await prepareReference(space, cacheSource(cache, split.test), { n: N });
  } finally {
    cache.close();
  }
  for (const step of project.checkpointSteps()) records.push(await score(step));
}, 300_000);

afterAll(() => space?.dispose());

describe('the label-free score on a short MNIST run', () => {
  it('should rank the checkpoints as the labelled score does', async () => {
    const labelled = await evaluateQuality(project, { steps: 'all', nReal: N, nFake: N, classifierSteps: 200, seed: 7 });
    expect(labelled.rows.map((r) => r.step)).toEqual(records.map((r) => r.step));
    const rho = spearman(
      labelled.rows.map((r) => r.fd),
      records.map((r) => r.fd),
    );
    console.info(`Spearman rank correlation, label-free vs labelled FD over ${records.length} checkpoints: ${rho.toFixed(3)}`);
    expect(rho).toBeGreaterThanOrEqual(0.7);
    const best = chooseBestCheckpoint(records, labelled.rows)!;
    expect(best.by).toBe('label-free+labelled');
    expect(records.map((r) => r.step)).toContain(best.step);
  });

  it('should raise no collapse, imbalance or non-finite notice on the healthy run', () => {
    const notices = diagnose({ metrics: project.metrics(), records });
    expect(notices.filter((n) => n.kind !== 'stalled' && n.kind !== 'oscillation')).toEqual([]);
    expect(records.at(-1)!.diversity).toBeGreaterThan(records[0].diversity);
  });

  it('should leave no tensor behind after scoring', async () => {
    const before = tf.memory().numTensors;
    const record = await score(STEPS);
    expect(tf.memory().numTensors).toBe(before);
    expect(record.fd).toBeCloseTo(records.at(-1)!.fd, 6); // same z, same weights: the same score
    fixed = fixed.slice(0, -1);
  });
});

describe('runs made to fail', () => {
  it('should report a generator collapsing to one output at the first collapsed checkpoint', async () => {
    // Scaling G's z-projection towards 0 makes its output independent of z (BatchNorm uses fixed
    // moving statistics in inference): 0.3 and 0.1 fade the variety out, 0 is one constant image.
    const history = [...records];
    const detectedAt: number[] = [];
    for (const [i, factor] of [0.3, 0.1, 0].entries()) {
      const step = STEPS + EVERY * (i + 1);
      history.push(await score(STEPS, (G) => G.params.get('g0.w')!.assign(tf.tidy(() => tf.mul(G.params.get('g0.w')!, factor))), step));
      const notice = diagnose({ metrics: [], records: history }).find((n) => n.kind === 'mode-collapse');
      if (notice) detectedAt.push(step);
    }
    console.info(
      `Collapse noticed at steps ${detectedAt.join(', ')} (fading from step ${STEPS + EVERY}, constant at ${STEPS + 3 * EVERY})`,
    );
    expect(history.at(-1)!.diversity).toBeLessThan(0.01);
    expect(history.at(-1)!.nearDuplicates).toBe(1);
    expect(detectedAt).toContain(STEPS + 3 * EVERY);
    const notice = diagnose({ metrics: [], records: history }).find((n) => n.kind === 'mode-collapse')!;
    expect(notice.severity).toBe('critical');
    expect(notice.advice).toMatch(/Roll back to the best checkpoint/);
    // Far from the data FD rates the squeezed generators better (their mean is nearer), but
    // collapsed or much less diverse checkpoints are never the best.
    expect(Math.min(...history.slice(records.length).map((r) => r.fd))).toBeLessThan(records.at(-1)!.fd);
    expect(chooseBestCheckpoint(history)!.step).toBeLessThanOrEqual(STEPS);
  });

  it('should report a discriminator that is made too strong, and not the balanced run', async () => {
    expect(detectDiscriminatorOverpowering(project.metrics())).toBeNull();
    // D eight times wider than G and learning ten times faster.
    const strongD = await tinyMnist({ ndf: 64, hyper: { ...HYPER, logEvery: 2, checkpointEvery: 1000 } });
    const trainer = Trainer.open(strongD, await selectBackend('wasm'));
    trainer.gan.optD.config.learningRate = 2e-3;
    await trainer.run({ moreSteps: 100 }, run);
    trainer.dispose();
    const notice = detectDiscriminatorOverpowering(strongD.metrics());
    expect(notice).not.toBeNull();
    console.info(`Too-strong D noticed from step ${notice!.step} of 100: ${JSON.stringify(notice!.evidence)}`);
    expect(notice!.kind).toBe('d-overpowering');
    expect(notice!.actions[0]).toBe('lower-d-learning-rate');
  });
});
