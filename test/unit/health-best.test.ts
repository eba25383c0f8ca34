/** The best checkpoint: chosen from the scores, and kept by pruning. */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chooseBestCheckpoint } from '../../src-main/engine/health/best';
import { checkpointSteps, pruneCheckpoints, writeCheckpoint } from '../../src-main/engine/project/checkpoints';
import type { QualityRow } from '../../src-main/shared/types/eval';
import type { HealthRecord } from '../../src-main/shared/types/health';
import { tempDir } from '../helpers/projects';

const rec = (step: number, fd: number, nearDuplicates = 0): HealthRecord => ({
  step,
  space: 's',
  nReal: 10,
  nFake: 10,
  k: 3,
  fd,
  meanTerm: fd,
  covTerm: 0,
  realFloor: null,
  precision: 0,
  recall: 0,
  diversity: 1,
  nearDuplicates,
  gridDrift: null,
  gridReturn: null,
  seconds: 0,
  time: '',
});
const labelled = (step: number, fd: number) => ({ step, fd }) as QualityRow;

describe('choosing the best checkpoint', () => {
  it('should take the lowest label-free score, skipping collapsed and deleted checkpoints', () => {
    const records = [rec(100, 9), rec(200, 4), rec(300, 1, 0.9), rec(400, 5), rec(500, 4)];
    expect(chooseBestCheckpoint(records)).toMatchObject({ step: 500, by: 'label-free', fd: 4, candidates: 4 }); // tie: the later
    expect(chooseBestCheckpoint(records, [], { available: [100, 400] })).toMatchObject({ step: 400 });
    expect(chooseBestCheckpoint([rec(100, 9, 1), rec(200, 8, 1)])).toMatchObject({ step: 200 }); // all collapsed: still a best
    expect(chooseBestCheckpoint([rec(100, NaN)])).toBeNull();
    expect(chooseBestCheckpoint([])).toBeNull();
  });

  it('should let both scores decide where both exist, by the sum of ranks', () => {
    const records = [rec(100, 3), rec(200, 1), rec(300, 2), rec(400, 0.5)];
    // Label-free ranks 300:2, 200:1 -> with labelled ranks 300:1, 200:3 (100: 2): sums 300:3, 200:4, 100:5.
    const best = chooseBestCheckpoint(records, [labelled(100, 20), labelled(200, 30), labelled(300, 10)]);
    expect(best).toMatchObject({ step: 300, by: 'label-free+labelled', labelledFd: 10, candidates: 3 });
  });
});

describe('pruning keeps the best checkpoint', () => {
  it('should keep the steps in `keep` besides the newest and the every-Nth ones', () => {
    const dir = tempDir();
    const meta = (step: number) => ({ step, epoch: 0, createdAt: '', adamSteps: { G: 0, D: 0 } });
    for (const step of [10, 20, 30, 40, 50, 60, 70])
      writeCheckpoint(dir, meta(step), [{ name: 'w', shape: [1], values: new Float32Array([step]) }]);
    const removed = pruneCheckpoints(dir, 2, 10, 3, new Set([20]));
    expect(removed).toEqual([10, 40, 50]);
    expect(checkpointSteps(dir)).toEqual([20, 30, 60, 70]); // 20 best, 30 and 60 every 3rd, 60 and 70 newest
    expect(pruneCheckpoints(dir, 2, 10, 3)).toEqual([20]); // without it, the old rule
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
