/**
 * The settings an evaluation result was computed with: said beside the result, and put back in
 * the forms when a project is reopened (so the forms never show defaults above a result computed
 * otherwise). DOM-free, unit-tested in Node.
 */
import type { EvalLogs, FeatureEvalResult, LinearLossName, MemorisationRow, QualityRow } from '$shared/types';

export type LabelChoice = number | 'all';

/** The labelled-set sizes offered; 'all' is the whole pool, capped at 10,000 by the engine. */
export const LABEL_CHOICES: LabelChoice[] = [100, 1000, 5000, 'all'];

const count = (n: number) => n.toLocaleString('en-US');

/** "N = 100, 1,000 labelled · 500 test images · D from step 600 · L2-SVM" */
export function featureSettings(run: FeatureEvalResult): string {
  const loss = run.loss === 'l2svm' ? 'L2-SVM' : 'logistic regression';
  return `N = ${run.rows.map((r) => count(r.n)).join(', ')} labelled · ${count(run.testSize)} test images · D from step ${count(run.step)} · ${loss}`;
}

/** "N = 500 real + 500 generated, checkpoint step 600" */
export function qualitySettings(row: QualityRow): string {
  return `N = ${count(row.nReal)} real + ${count(row.nFake)} generated, checkpoint step ${count(row.step)}`;
}

/** "64 samples against 1,000 training images, checkpoint step 600" */
export function memorisationSettings(row: MemorisationRow): string {
  return `${count(row.samples)} samples against ${count(row.reference)} training images, checkpoint step ${count(row.step)}`;
}

/** The Evaluate forms' values that reproduce the newest saved results (only what they say). */
export interface EvalFormSettings {
  labels?: LabelChoice[];
  testSize?: number;
  loss?: LinearLossName;
  fdSamples?: number;
  memSamples?: number;
  memReference?: number;
}

/** The newest result of each kind, as form values; a labelled count not offered was 'all'. */
export function formSettings(logs: EvalLogs): EvalFormSettings {
  const out: EvalFormSettings = {};
  const features = logs.features.at(-1);
  if (features) {
    const choices = features.rows.map((r): LabelChoice => (LABEL_CHOICES.includes(r.n) ? r.n : 'all'));
    out.labels = [...new Set(choices)];
    out.testSize = features.testSize;
    out.loss = features.loss;
  }
  const quality = newestRow(logs.quality);
  if (quality) out.fdSamples = quality.nReal;
  const memorisation = newestRow(logs.memorisation);
  if (memorisation) {
    out.memSamples = memorisation.samples;
    out.memReference = memorisation.reference;
  }
  return out;
}

/** The row written last (rows are kept by step, not by when they were computed). */
export function newestRow<T extends { time: string }>(rows: T[]): T | undefined {
  return rows.reduce<T | undefined>((a, b) => (a === undefined || b.time >= a.time ? b : a), undefined);
}
