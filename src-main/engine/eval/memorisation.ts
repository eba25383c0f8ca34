/**
 * Memorisation check (paper Sec. 4.1 shows nearest training images of samples; the official code
 * logged nearest-neighbour distances every few epochs): for K generated samples, the nearest
 * training images by pixel L2 and by L2 between D's pooled features at the same checkpoint.
 *
 * A distance means little alone, so every row also holds the same distances for K held-out real
 * images (test split, not in the searched set): a generator that copies its training data has
 * samples far closer to training images than novel real images are. `nearCopyRate` counts samples
 * closer than 90% of real images are (about 0.1 when G is as novel as real data), and `nnd` is the
 * official code's coverage score (mean distance from a real image to its nearest sample).
 */
import type { MemorisationExample, MemorisationResult, MemorisationRow, NeighbourImage } from '../../shared/types/eval';
import type { DatasetCache } from '../data/cache';
import type { Project } from '../project/project';
import { encodePng, toByte } from '../sampling/grid';
import { latentVectors } from '../sampling/noise';
import { generateImages, gridLabels } from '../sampling/sampler';
import { selectSteps, skipUnreadable, type StepSelection } from './checkpoints';
import { dFeatureDim, extractDFeatures } from './d-features';
import { openProjectDataset, readBytes } from './dataset';
import type { Neighbours } from './neighbours';
import { nearestNeighboursTf } from './neighbours-tf';
import type { RunControl } from './progress';
import { yieldToLoop } from './progress';
import { arraySource, cacheSource } from './sources';
import { evalSeed, EvalPurpose, evalSplit } from './split';
import { quantile, summarizeDistances } from './stats';
import { readMemorisationRows, upsertMemorisationRows } from './store';

export const DEFAULT_SAMPLES = 128;
export const DEFAULT_REFERENCE = 10_000;
/** Bytes the reference set's D features may take; larger projects search fewer training images. */
const FEATURE_BUDGET_BYTES = 256 << 20;

export interface MemorisationOptions {
  /** Default 'latest'. */
  steps?: StepSelection;
  /** Generated samples K (and held-out real images compared the same way). */
  samples?: number;
  /** Training images searched: a seeded subset of the pool. */
  reference?: number;
  /** Samples whose neighbours come back as images (for the side-by-side view). */
  show?: number;
  /** Neighbours shown per sample. */
  neighbours?: number;
  seed?: number;
}

/** Pixel distances are computed on bytes (4x less memory than floats); this maps them to [-1, 1] units. */
const BYTE_TO_UNIT = 1 / 127.5;

export async function evaluateMemorisation(
  project: Project,
  options: MemorisationOptions = {},
  control: RunControl & { onStep?: (step: number, index: number, count: number) => void } = {},
): Promise<MemorisationResult> {
  const config = project.config;
  const { model } = config;
  const seed = options.seed ?? config.train.seed;
  const K = options.samples ?? DEFAULT_SAMPLES;
  const show = Math.min(options.show ?? 8, K);
  const kShow = options.neighbours ?? 3;
  const steps = selectSteps(project, options.steps ?? 'latest', new Set(readMemorisationRows(project).map((r) => r.step)));
  const cache = openProjectDataset(project);
  try {
    const labels = cache.readLabels();
    const split = evalSplit(cache.count, seed, K);
    const pixels = model.size * model.size * model.channels;
    const dim = dFeatureDim(model);
    const M = Math.min(options.reference ?? DEFAULT_REFERENCE, split.pool.length, Math.floor(FEATURE_BUDGET_BYTES / (dim * 4)));
    const refIdx = split.pool.subarray(0, M);
    const realIdx = split.test; // held out: never in the searched set
    control.onProgress?.({ phase: `Reading ${M} training images`, done: 0, total: 1 });
    const refBytes = readBytes(cache, refIdx);
    const realBytes = readBytes(cache, realIdx);
    await yieldToLoop();
    control.check?.();
    const realPixelNN = await nearestNeighboursTf(realBytes, realIdx.length, refBytes, M, pixels, 1, {
      ...control,
      phase: 'Held-out real images: nearest training images',
    });
    const realPixel = realPixelNN.distance.map((d) => d * BYTE_TO_UNIT);

    const z = latentVectors(model, K, evalSeed(seed, EvalPurpose.fakes));
    const fakeLabels = gridLabels(model, K);
    const rows: MemorisationRow[] = [];
    const skipped: MemorisationResult['skipped'] = [];
    let examples: MemorisationExample[] = [];
    let examplesStep: number | null = null;

    for (const [i, step] of steps.entries()) {
      control.onStep?.(step, i + 1, steps.length);
      try {
        await project.withGanAt(step, async ({ G, D }) => {
          const fakes = generateImages(G, model, z, fakeLabels);
          const fakeBytes = Uint8Array.from(fakes, toByte);
          const phase = (what: string) => ({ ...control, phase: `Step ${step}: ${what}` });
          const pixelNN = await nearestNeighboursTf(fakeBytes, K, refBytes, M, pixels, kShow, phase('nearest training images by pixels'));
          const refFeatures = await extractDFeatures(D, model, cacheSource(cache, refIdx), phase(`D features of ${M} training images`));
          const realFeatures = await extractDFeatures(D, model, cacheSource(cache, realIdx), phase('D features of held-out real images'));
          const fakeFeatures = await extractDFeatures(D, model, arraySource(fakes, K), phase('D features of the samples'));
          const featureNN = await nearestNeighboursTf(
            fakeFeatures,
            K,
            refFeatures,
            M,
            dim,
            kShow,
            phase('nearest training images by D features'),
          );
          const realFeatureNN = await nearestNeighboursTf(
            realFeatures,
            realIdx.length,
            refFeatures,
            M,
            dim,
            1,
            phase('held-out real images by D features'),
          );
          const coverage = await nearestNeighboursTf(
            realBytes,
            realIdx.length,
            fakeBytes,
            K,
            pixels,
            1,
            phase('coverage (real to nearest sample)'),
          );
          rows.push(
            memorisationRow(
              step,
              project.epochAt(step),
              K,
              M,
              seed,
              firstColumn(pixelNN, BYTE_TO_UNIT),
              firstColumn(featureNN, 1),
              realPixel,
              realFeatureNN.distance,
              coverage.distance.map((d) => d * BYTE_TO_UNIT),
            ),
          );
          if (i === steps.length - 1 && show > 0) {
            examples = await exampleImages(cache, labels, fakes, fakeLabels, show, pixelNN, featureNN, refIdx, model.size, model.channels);
            examplesStep = step;
          }
        });
      } catch (err) {
        skipUnreadable(err, step, skipped);
      }
    }
    upsertMemorisationRows(project, rows);
    return { rows, examples, examplesStep, skipped };
  } finally {
    cache.close();
  }
}

/** Distances to the nearest neighbour only (column 0 of a top-k result), scaled. */
function firstColumn(nn: Neighbours, scale: number): Float64Array {
  const q = nn.distance.length / nn.k;
  return Float64Array.from({ length: q }, (_, i) => nn.distance[i * nn.k] * scale);
}

function memorisationRow(
  step: number,
  epoch: number,
  samples: number,
  reference: number,
  seed: number,
  fakePixel: Float64Array,
  fakeFeature: Float64Array,
  realPixel: Float64Array,
  realFeature: Float64Array,
  coverage: Float64Array,
): MemorisationRow {
  const threshold = quantile(realPixel, 0.1);
  let near = 0;
  for (const d of fakePixel) if (d < threshold) near++;
  return {
    step,
    epoch,
    samples,
    reference,
    pixel: summarizeDistances(fakePixel),
    dFeature: summarizeDistances(fakeFeature),
    realPixel: summarizeDistances(realPixel),
    realDFeature: summarizeDistances(realFeature),
    nearCopyRate: near / fakePixel.length,
    nnd: summarizeDistances(coverage).mean,
    seed,
    time: new Date().toISOString(),
  };
}

async function exampleImages(
  cache: DatasetCache,
  labels: Int32Array,
  fakes: Float32Array,
  fakeLabels: number[] | null,
  show: number,
  pixelNN: Neighbours,
  featureNN: Neighbours,
  refIdx: Uint32Array,
  size: number,
  channels: 1 | 3,
): Promise<MemorisationExample[]> {
  const per = size * size * channels;
  const png = async (bytes: Uint8Array) => (await encodePng({ data: bytes, width: size, height: size, channels })).toString('base64');
  const neighbours = async (nn: Neighbours, sample: number, scale: number): Promise<NeighbourImage[]> => {
    const out: NeighbourImage[] = [];
    for (let t = 0; t < nn.k; t++) {
      const index = refIdx[nn.index[sample * nn.k + t]];
      out.push({
        index,
        label: labels[index],
        distance: nn.distance[sample * nn.k + t] * scale,
        pngBase64: await png(cache.readUint8(index, 1)),
      });
    }
    return out;
  };
  const examples: MemorisationExample[] = [];
  for (let s = 0; s < show; s++) {
    examples.push({
      sample: s,
      pngBase64: await png(Uint8Array.from(fakes.subarray(s * per, (s + 1) * per), toByte)),
      ...(fakeLabels && { label: fakeLabels[s] }),
      byPixel: await neighbours(pixelNN, s, BYTE_TO_UNIT),
      byDFeature: await neighbours(featureNN, s, 1),
    });
  }
  return examples;
}
