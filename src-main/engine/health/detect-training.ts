/**
 * Detectors over the training log (metrics.jsonl rows): non-finite values, and a discriminator
 * that overpowers the generator: D(G(z)) pinned low and G's loss high, for a window of rows.
 * With the non-saturating G loss, gLoss = -ln D(G(z)) on average (after D's update), so a high
 * G loss means D rejects G's samples with confidence and G's gradient carries little about
 * what to change (Goodfellow et al. 2014, Sec. 3; Arjovsky & Bottou 2017). The slope of G's
 * loss is reported as evidence ("climbing") but does not decide: a healthy run's G loss also
 * climbs while D learns, from ~0.7 to ~2.
 */
import type { HealthNotice, HealthRecord } from '../../shared/types/health';
import type { MetricRow } from '../../shared/types';
import { median, round, slope } from './notice-util';
import {
  OVERPOWER_D_FAKE,
  OVERPOWER_D_FAKE_CRITICAL,
  OVERPOWER_G_LOSS,
  OVERPOWER_G_LOSS_CRITICAL,
  OVERPOWER_MIN_ROWS,
  OVERPOWER_WINDOW,
} from './thresholds';

const METRIC_FIELDS = ['dLoss', 'gLoss', 'dReal', 'dFake'] as const;
const RECORD_FIELDS = ['fd', 'precision', 'recall', 'diversity', 'nearDuplicates'] as const;

/**
 * The first logged row or scored checkpoint with a value that is not a finite number. JSON
 * writes NaN and Infinity as null, so a row read back from metrics.jsonl with null counts too.
 */
export function detectNonFinite(metrics: readonly MetricRow[], records: readonly HealthRecord[] = []): HealthNotice | null {
  const badRow = metrics.find((r) => METRIC_FIELDS.some((f) => !Number.isFinite(r[f])));
  const badRecord = records.find((r) => RECORD_FIELDS.some((f) => !Number.isFinite(r[f])));
  if (!badRow && !badRecord) return null;
  const step = Math.min(badRow?.step ?? Infinity, badRecord?.step ?? Infinity);
  const fields = badRow
    ? METRIC_FIELDS.filter((f) => !Number.isFinite(badRow[f]))
    : RECORD_FIELDS.filter((f) => !Number.isFinite(badRecord![f]));
  return {
    kind: 'non-finite',
    severity: 'critical',
    step,
    title: 'Training produced values that are not numbers (NaN or infinity)',
    advice:
      'The weights have blown up and every step after this one is wasted. Roll back to the best checkpoint ' +
      '(or the last one before this step) and continue with a lower learning rate.',
    actions: ['roll-back-to-best', 'lower-learning-rate', 'stop'],
    evidence: { firstStep: step, fields: fields.join(', '), source: badRow && badRow.step === step ? 'metrics' : 'score' },
  };
}

interface Overpower {
  dFake: number;
  dReal: number;
  gLoss: number;
  gLossSlope: number;
}

/** Whether the OVERPOWER_WINDOW rows ending before index `end` show D overpowering G. */
function overpoweredAt(rows: readonly MetricRow[], end: number): Overpower | null {
  const window = rows.slice(Math.max(0, end - OVERPOWER_WINDOW), end).filter((r) => METRIC_FIELDS.every((f) => Number.isFinite(r[f])));
  if (window.length < OVERPOWER_MIN_ROWS) return null;
  const dFake = median(window.map((r) => r.dFake));
  const gLosses = window.map((r) => r.gLoss);
  const gLoss = median(gLosses);
  const gLossSlope = slope(gLosses);
  if (dFake > OVERPOWER_D_FAKE || gLoss < OVERPOWER_G_LOSS) return null;
  return { dFake, dReal: median(window.map((r) => r.dReal)), gLoss, gLossSlope };
}

/** A notice when D has been rejecting nearly every sample for the last OVERPOWER_WINDOW logged rows. */
export function detectDiscriminatorOverpowering(metrics: readonly MetricRow[]): HealthNotice | null {
  const now = overpoweredAt(metrics, metrics.length);
  if (!now) return null;
  // Where the stretch began: walk back row by row while the window still shows it.
  let start = metrics.length - 1;
  while (start > 0 && overpoweredAt(metrics, start) !== null) start--;
  const since = metrics[start]; // the first row whose window showed it
  return {
    kind: 'd-overpowering',
    severity: now.dFake <= OVERPOWER_D_FAKE_CRITICAL || now.gLoss >= OVERPOWER_G_LOSS_CRITICAL ? 'critical' : 'warning',
    step: since.step,
    title: 'The discriminator is overpowering the generator',
    advice:
      "D rejects nearly every generated image (D(G(z)) is pinned near 0) and G's loss keeps climbing, so G gets " +
      "little useful gradient. Lower the discriminator's learning rate (or both), make D smaller (fewer filters), " +
      'or roll back to the best checkpoint and continue from there. Very few training images also let D win by ' +
      'memorising them: add data if you can.',
    actions: ['lower-d-learning-rate', 'roll-back-to-best', 'smaller-model', 'add-data'],
    evidence: {
      medianDFake: round(now.dFake, 4),
      medianDReal: round(now.dReal),
      medianGLoss: round(now.gLoss),
      gLossSlopePerRow: round(now.gLossSlope, 4),
      rows: Math.min(OVERPOWER_WINDOW, metrics.length),
      sinceStep: since.step,
    },
  };
}
