/**
 * Readability of generated samples, as the project's quality classifier (fd-classifier.ts) sees
 * them: the share of samples it assigns to one class with probability >= `threshold`, and which
 * classes the samples fall in. A stand-in for "a person reads it as a digit": a confident call by
 * a classifier trained on the real images. It says nothing of diversity within a class.
 */
import { tf } from '../backend/tf';
import type { FdClassifier } from './fd-classifier';
import { mapFeatures, type ImageSource } from './sources';

export interface Readability {
  samples: number;
  threshold: number;
  /** Samples whose top class has probability >= threshold. */
  confident: number;
  confidentShare: number;
  /** Samples per top class (all samples), and the classes at least one confident sample falls in. */
  perClass: number[];
  classesPresent: number[];
  /** Mean top-class probability. */
  meanConfidence: number;
  /** With `labels` (a conditional model's asked-for classes): confident samples whose top class is the one asked for. */
  confidentAsAsked?: number;
}

export async function readability(
  classifier: FdClassifier,
  source: ImageSource,
  threshold = 0.9,
  labels: ArrayLike<number> | null = null,
): Promise<Readability> {
  const k = classifier.info.numClasses;
  const probs = await mapFeatures(source, classifier.info, k, (x) => tf.softmax(classifier.logits(x)), { chunk: 256 });
  const perClass = new Array<number>(k).fill(0);
  const confidentIn = new Set<number>();
  let confident = 0;
  let asAsked = 0;
  let sum = 0;
  for (let i = 0; i < source.count; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (probs[i * k + c] > probs[i * k + best]) best = c;
    const p = probs[i * k + best];
    perClass[best]++;
    sum += p;
    if (p >= threshold) {
      confident++;
      confidentIn.add(best);
      if (labels && labels[i] === best) asAsked++;
    }
  }
  return {
    samples: source.count,
    threshold,
    confident,
    confidentShare: confident / source.count,
    perClass,
    classesPresent: [...confidentIn].sort((a, b) => a - b),
    meanConfidence: sum / source.count,
    ...(labels && { confidentAsAsked: asAsked }),
  };
}
