/**
 * The run-health detectors on histories with known shapes: a healthy trajectory (numbers from a
 * real MNIST run), and runs made to fail in each way. Runs of the real trainer made to fail are
 * in health-mnist.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { detectModeCollapse } from '../../src-main/engine/health/detect-collapse';
import { detectOscillation, detectStall } from '../../src-main/engine/health/detect-score';
import { detectDiscriminatorOverpowering, detectNonFinite } from '../../src-main/engine/health/detect-training';
import { diagnose } from '../../src-main/engine/health/diagnose';
import { formatNotice } from '../../src-main/cli/commands/health';
import { isHealthEvent, newHealthEvents, parseHealthEvents, toHealthEvent } from '../../src-main/engine/health/events';
import { OVERPOWER_WINDOW, STALL_CHECKPOINTS } from '../../src-main/engine/health/thresholds';
import type { HealthRecord } from '../../src-main/shared/types/health';
import type { MetricRow } from '../../src-main/shared/types';

function record(step: number, fields: Partial<HealthRecord>): HealthRecord {
  return {
    step,
    space: 'ganvas-random-cnn-v1-00000001',
    nReal: 1000,
    nFake: 1000,
    k: 3,
    fd: 1,
    meanTerm: 0.5,
    covTerm: 0.5,
    realFloor: 0.02,
    precision: 0.5,
    recall: 0.5,
    diversity: 0.8,
    nearDuplicates: 0,
    gridDrift: null,
    gridReturn: null,
    seconds: 1,
    time: '',
    ...fields,
  };
}

/** A label-free trajectory measured on a healthy 800-step MNIST run (checkpoints every 50 steps). */
const HEALTHY = {
  fd: [55.2, 46.0, 31.3, 23.6, 17.2, 12.4, 8.8, 6.8, 4.9, 3.8, 2.8, 2.3, 1.7, 1.6, 1.3, 0.9],
  diversity: [0.14, 0.17, 0.28, 0.44, 0.48, 0.53, 0.61, 0.66, 0.69, 0.72, 0.72, 0.74, 0.75, 0.77, 0.77, 0.77],
  nearDuplicates: [1, 1, 1, 0.96, 0.78, 0.37, 0.08, 0.01, 0, 0, 0, 0, 0, 0, 0, 0],
  drift: [null, 0.53, 0.92, 0.58, 0.56, 0.51, 0.45, 0.31, 0.35, 0.26, 0.26, 0.21, 0.19, 0.16, 0.18, 0.22],
  back: [null, null, 1.41, 1.45, 1.1, 1.04, 0.93, 0.73, 0.63, 0.55, 0.47, 0.41, 0.35, 0.28, 0.26, 0.32],
};
const healthy = HEALTHY.fd.map((fd, i) =>
  record(50 * (i + 1), {
    fd,
    diversity: HEALTHY.diversity[i],
    nearDuplicates: HEALTHY.nearDuplicates[i],
    recall: 0,
    precision: 0,
    gridDrift: HEALTHY.drift[i],
    gridReturn: HEALTHY.back[i],
  }),
);

function metrics(n: number, row: (i: number) => Partial<MetricRow>): MetricRow[] {
  return Array.from({ length: n }, (_, i) => ({
    step: 5 * (i + 1),
    epoch: 0,
    dLoss: 1.2,
    gLoss: 0.9,
    dReal: 0.6,
    dFake: 0.35,
    imagesPerSec: 100,
    backend: 'wasm' as const,
    time: 0,
    ...row(i),
  }));
}

describe('mode collapse', () => {
  it('should raise nothing on a healthy run, though its first checkpoints are all alike', () => {
    expect(diagnose({ metrics: metrics(160, () => ({})), records: healthy })).toEqual([]);
  });

  it('should report a generator that collapses to one output at the first collapsed checkpoint, and keep its start step', () => {
    const collapsed = [...healthy, record(850, { fd: 40, diversity: 0.01, nearDuplicates: 1 })];
    const notice = detectModeCollapse(collapsed)!;
    expect(notice.kind).toBe('mode-collapse');
    expect(notice.severity).toBe('critical');
    expect(notice.step).toBe(850);
    expect(notice.actions).toContain('roll-back-to-best');
    expect(notice.evidence.reasons).toBe('samples nearly one image, near-duplicates rose');
    const later = detectModeCollapse([...collapsed, record(900, { fd: 45, diversity: 0.02, nearDuplicates: 1 })])!;
    expect(later.step).toBe(850); // the same episode, not a new one
    expect(later.evidence.checkpoints).toBe(2);
  });

  it('should warn when diversity halves or recall drops from its peak, and say nothing while it only wobbles', () => {
    const base = healthy.slice(0, 10);
    expect(detectModeCollapse([...base, record(550, { diversity: 0.6 })])).toBeNull(); // 0.72 -> 0.6
    const half = detectModeCollapse([...base, record(550, { diversity: 0.33 })])!;
    expect(half.severity).toBe('warning');
    expect(half.evidence.reasons).toBe('diversity fell');
    const recalled = [record(100, { recall: 0.6 }), record(200, { recall: 0.62 }), record(300, { recall: 0.25 })];
    expect(detectModeCollapse(recalled)!.evidence.reasons).toBe('recall dropped');
    expect(detectModeCollapse(recalled.slice(0, 2))).toBeNull();
  });

  it('should report a run whose samples stay nearly one image for six checkpoints, not five', () => {
    const stuck = Array.from({ length: 6 }, (_, i) => record(100 * (i + 1), { diversity: 0.02, nearDuplicates: 1 }));
    expect(detectModeCollapse(stuck.slice(0, 5))).toBeNull();
    const notice = detectModeCollapse(stuck)!;
    expect(notice.evidence.reasons).toBe('samples nearly one image');
    expect(notice.severity).toBe('critical');
  });
});

describe('discriminator overpowering the generator', () => {
  it('should report D(G(z)) pinned low with G loss high, from the first row whose window shows it', () => {
    const rows = metrics(60, (i) => (i < 30 ? {} : { dFake: 0.05, dReal: 0.98, gLoss: 3 + 0.05 * (i - 30), dLoss: 0.05 }));
    const notice = detectDiscriminatorOverpowering(rows)!;
    expect(notice.kind).toBe('d-overpowering');
    expect(notice.severity).toBe('warning');
    expect(notice.evidence.medianDFake).toBeCloseTo(0.05, 6);
    expect(notice.advice).toMatch(/learning rate/);
    // The window's median flips once more than half of its rows are bad: row 30 + 10.
    expect(notice.step).toBe(rows[40].step);
    expect(detectDiscriminatorOverpowering(rows.map((r) => ({ ...r, dFake: 0.001 })).slice(0, 60))!.severity).toBe('critical');
  });

  it('should say nothing for a healthy balance, a short log, or a D that wins briefly', () => {
    expect(
      detectDiscriminatorOverpowering(metrics(200, (i) => ({ dFake: 0.3 + 0.1 * Math.sin(i), gLoss: 1 + 0.3 * Math.sin(i) }))),
    ).toBeNull();
    expect(detectDiscriminatorOverpowering(metrics(8, () => ({ dFake: 0.01, gLoss: 5 })))).toBeNull();
    const blip = metrics(100, (i) => (i >= 92 ? { dFake: 0.01, gLoss: 5 } : {}));
    expect(detectDiscriminatorOverpowering(blip)).toBeNull(); // 8 bad rows of a 20-row window
    // Low D(G(z)) while G's loss stays below 3: D is strong, G still learns.
    const strong = metrics(40, (i) => ({ dFake: 0.1, gLoss: 2.5 + 0.01 * i }));
    expect(detectDiscriminatorOverpowering(strong)).toBeNull();
    expect(OVERPOWER_WINDOW).toBe(20);
  });
});

describe('non-finite values', () => {
  it('should report the first NaN, infinity or null (NaN after a JSON round trip) in metrics or scores', () => {
    const rows = metrics(10, (i) => (i === 6 ? { gLoss: NaN } : i === 8 ? { dLoss: Infinity } : {}));
    const notice = detectNonFinite(rows)!;
    expect(notice).toMatchObject({ kind: 'non-finite', severity: 'critical', step: 35 });
    expect(notice.evidence.fields).toBe('gLoss');
    const roundTrip = JSON.parse(JSON.stringify(metrics(3, (i) => (i === 1 ? { dReal: NaN } : {})))) as MetricRow[];
    expect(roundTrip[1].dReal).toBeNull();
    expect(detectNonFinite(roundTrip)!.step).toBe(10);
    expect(
      detectNonFinite(
        metrics(5, () => ({})),
        [record(3, { fd: NaN })],
      )!.evidence.source,
    ).toBe('score');
    expect(
      detectNonFinite(
        metrics(5, () => ({})),
        healthy,
      ),
    ).toBeNull();
  });
});

describe('oscillation and a stalled score', () => {
  it('should report a score going up and down with a large swing, and not a noisy descent', () => {
    const cycling = [10, 6, 11, 5, 10, 6].map((fd, i) => record(100 * (i + 1), { fd }));
    const notice = detectOscillation(cycling)!;
    expect(notice.kind).toBe('oscillation');
    expect(notice.evidence.scoreFlips).toBe(4);
    const noisyDescent = [10, 9.5, 9.6, 9.0, 9.1, 8.5].map((fd, i) => record(100 * (i + 1), { fd }));
    expect(detectOscillation(noisyDescent)).toBeNull(); // flips, but swings of ~4%: noise
  });

  it('should report a fixed-noise grid that keeps returning to where it was two checkpoints ago', () => {
    const grid = [
      record(100, {}),
      record(200, { gridDrift: 0.5 }),
      record(300, { gridDrift: 0.5, gridReturn: 0.05 }),
      record(400, { gridDrift: 0.6, gridReturn: 0.08 }),
    ];
    expect(detectOscillation(grid.slice(0, 3))).toBeNull(); // once is not a cycle
    const notice = detectOscillation(grid)!;
    expect(notice.title).toMatch(/fixed-noise/);
    expect(notice.step).toBe(400);
    expect(notice.evidence.gridCycles).toBe(2);
  });

  it('should say the score stalled after five checkpoints without a 3% gain, as information', () => {
    const flat = [5, 3, 2, 2.05, 2.01, 1.99, 2.1, 2.02].map((fd, i) => record(100 * (i + 1), { fd }));
    const notice = detectStall(flat)!;
    expect(notice).toMatchObject({ kind: 'stalled', severity: 'info', step: 800 });
    expect(notice.evidence.bestStep).toBe(300);
    expect(notice.title).toContain(`${STALL_CHECKPOINTS} checkpoints`);
    expect(detectStall(healthy)).toBeNull();
  });
});

describe('health events in metrics.jsonl', () => {
  it('should log each notice once per episode and read events back from mixed lines', () => {
    const collapsed = [...healthy, record(850, { fd: 40, diversity: 0.01, nearDuplicates: 1 })];
    const first = newHealthEvents(diagnose({ metrics: [], records: collapsed }), [], 123);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ event: 'health', version: 1, kind: 'mode-collapse', step: 850, time: 123 });
    const again = diagnose({ metrics: [], records: [...collapsed, record(900, { fd: 45, diversity: 0.01, nearDuplicates: 1 })] });
    expect(newHealthEvents(again, first)).toEqual([]);

    const text = [JSON.stringify(metrics(1, () => ({}))[0]), JSON.stringify(first[0]), '{"event":"health", torn'].join('\n');
    const events = parseHealthEvents(text);
    expect(events).toHaveLength(1);
    expect(isHealthEvent(events[0])).toBe(true);
    expect(isHealthEvent(metrics(1, () => ({}))[0])).toBe(false);
    expect(toHealthEvent(events[0], 5).time).toBe(5);
    expect(formatNotice(first[0])).toMatch(/^critical step 850 {2}The generator has collapsed/);
  });

  it('should refuse to compare records of two feature spaces', () => {
    expect(() => diagnose({ metrics: [], records: [record(1, {}), record(2, { space: 'other' })] })).toThrow(/feature spaces/);
  });
});
