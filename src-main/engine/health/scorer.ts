/**
 * Scores a project's checkpoints label-free (score.ts) in the project's one feature space: the
 * space is made once (a seeded random CNN, health/space.json) and reused for every checkpoint, so
 * scores compare over the whole run; the real reference is computed once per scorer. Used by the
 * training host's monitor (monitor.ts) and by scoring on demand (tasks.ts).
 */
import type { HealthRecord } from '../../shared/types/health';
import { invalid } from '../../shared/errors';
import type { DatasetCache } from '../data/cache';
import { cacheSource } from '../eval/sources';
import { evalSeed } from '../eval/split';
import type { Project } from '../project/project';
import { deriveSeed, permutation, Rng } from '../util/rng';
import { FeatureNet } from './feature-net';
import { currentRecords, healthUnavailable } from './report';
import {
  DEFAULT_HEALTH_SAMPLES,
  fixedNoiseSource,
  HEALTH_PURPOSE,
  prepareReference,
  scoreGenerator,
  type RealReference,
  type ScoreOptions,
} from './score';
import { readStoredSpace, writeStoredSpace } from './store';

export type ScoreControl = Omit<ScoreOptions, 'step' | 'previousFixed'>;

/** The project's feature space: the stored one, or a new seeded random one (stored at once). */
export function projectSpace(project: Project): FeatureNet {
  const stored = readStoredSpace(project);
  if (stored) return FeatureNet.fromStored(stored);
  const { model, train } = project.config;
  const space = FeatureNet.random(model.size, model.channels, deriveSeed(train.seed, HEALTH_PURPOSE));
  writeStoredSpace(project, space.toStored());
  return space;
}

export class ProjectScorer {
  private reference: RealReference | null = null;
  /** Fixed-noise features by step: grid drift compares each checkpoint with the two scored before it. */
  private fixed = new Map<number, Float32Array>();

  private constructor(
    readonly project: Project,
    readonly space: FeatureNet,
  ) {}

  static open(project: Project): ProjectScorer {
    const why = healthUnavailable(project.config);
    if (why) throw invalid(why);
    return new ProjectScorer(project, projectSpace(project));
  }

  /**
   * The real side, once: min(1000, count) images in a seeded order, and as many others for the
   * real-vs-real floor when the dataset has them. All images, not a held-out set: the score asks
   * how close G comes to what it learns from.
   */
  async prepare(control: ScoreControl = {}): Promise<RealReference> {
    if (this.reference) return this.reference;
    const cache: DatasetCache = this.project.openDataset({ inMemoryLimitBytes: 0 });
    try {
      const n = Math.min(DEFAULT_HEALTH_SAMPLES, cache.count);
      const order = permutation(cache.count, new Rng(evalSeed(this.project.config.train.seed, HEALTH_PURPOSE)));
      this.reference = await prepareReference(this.space, cacheSource(cache, order.subarray(0, Math.min(2 * n, cache.count))), {
        ...control,
        n,
      });
    } finally {
      cache.close();
    }
    return this.reference;
  }

  /** Scores the checkpoint at `step` (its file must exist). */
  async score(step: number, control: ScoreControl = {}): Promise<HealthRecord> {
    const reference = await this.prepare(control);
    const previousFixed = await this.previousFixed(step, control);
    const { model, train } = this.project.config;
    return this.project.withGanAt(
      step,
      async (gan) => {
        const { record, fixed } = await scoreGenerator(this.space, reference, gan.G, model, {
          ...control,
          step,
          seed: train.seed,
          previousFixed,
        });
        if (fixed) this.remember(step, fixed);
        return record;
      },
      'health-',
    );
  }

  /** Fixed-noise features of the two scored checkpoints before `step` that still exist (cheap: 64 samples each). */
  private async previousFixed(step: number, control: ScoreControl): Promise<Float32Array[]> {
    const onDisk = new Set(this.project.checkpointSteps());
    const before = currentRecords(this.project)
      .map((r) => r.step)
      .filter((s) => s < step && onDisk.has(s))
      .slice(-2);
    const out: Float32Array[] = [];
    for (const s of before) {
      let features = this.fixed.get(s);
      if (!features) {
        features = await this.project.withGanAt(
          s,
          (gan) =>
            this.space.extract(fixedNoiseSource(gan.G, this.project.config.model, this.project.config.train.seed), {
              ...control,
              phase: `Fixed-noise samples of step ${s}`,
            }),
          'health-',
        );
        this.remember(s, features);
      }
      out.push(features);
    }
    return out;
  }

  private remember(step: number, features: Float32Array): void {
    this.fixed.set(step, features);
    // Only the newest few are ever compared with.
    for (const s of [...this.fixed.keys()].sort((a, b) => a - b).slice(0, -3)) this.fixed.delete(s);
  }

  dispose(): void {
    this.space.dispose();
  }
}
