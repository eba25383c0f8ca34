import { describe, expect, it } from 'vitest';
import { featureSettings, formSettings, memorisationSettings, qualitySettings } from '../../src-renderer/src/lib/eval-settings';
import type { EvalLogs, FeatureEvalResult, MemorisationRow, QualityRow } from '../../src-main/shared/types';

const features = (ns: number[], testSize = 500): FeatureEvalResult =>
  ({ step: 600, loss: 'logistic', testSize, rows: ns.map((n) => ({ n, perClass: [], results: [] })) }) as unknown as FeatureEvalResult;
const quality = (step: number, n: number, time: string) => ({ step, nReal: n, nFake: n, time }) as QualityRow;
const memorisation = (step: number, samples: number, reference: number, time: string) => ({ step, samples, reference, time }) as MemorisationRow;
const logs = (over: Partial<EvalLogs>): EvalLogs => ({ labelsMissing: null, features: [], quality: [], memorisation: [], classifier: null, ...over });

describe('evaluation settings', () => {
  it('should say the settings a result was computed with', () => {
    expect(qualitySettings(quality(600, 1000, 't'))).toBe('N = 1,000 real + 1,000 generated, checkpoint step 600');
    expect(memorisationSettings(memorisation(5, 64, 1000, 't'))).toBe('64 samples against 1,000 training images, checkpoint step 5');
    expect(featureSettings(features([100, 1000]))).toBe('N = 100, 1,000 labelled · 500 test images · D from step 600 · logistic regression');
  });

  it('should give the forms the newest result of each kind, not defaults', () => {
    const settings = formSettings(
      logs({
        features: [features([5000]), features([100, 7731], 1000)],
        // Rows are kept by step: the newest by time is step 200's re-score.
        quality: [quality(200, 500, '2026-01-02'), quality(400, 2000, '2026-01-01')],
        memorisation: [memorisation(5, 64, 1000, '2026-01-03'), memorisation(10, 256, 5000, '2026-01-01')],
      }),
    );
    // 7,731 labelled is what 'all' gave on a small pool.
    expect(settings).toEqual({ labels: [100, 'all'], testSize: 1000, loss: 'logistic', fdSamples: 500, memSamples: 64, memReference: 1000 });
  });

  it('should leave the forms alone where nothing was computed', () => {
    expect(formSettings(logs({}))).toEqual({});
  });
});
