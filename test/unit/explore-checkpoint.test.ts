import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { apiContract } from '../../src-main/shared/contract';
import { CHECKPOINT_METHODS } from '../../src-main/shared/checkpoint-methods';

/** The renderer adds `checkpoint: 'best'` to exactly the methods whose payload takes one. */
describe('checkpoint choice in the exploring tabs', () => {
  it('should list every contract method that takes a checkpoint, and only those', () => {
    const takesCheckpoint = Object.entries(apiContract)
      .filter(([, method]) => method.input instanceof z.ZodObject && 'checkpoint' in method.input.shape)
      .map(([name]) => name)
      .sort();
    expect([...CHECKPOINT_METHODS].sort()).toEqual(takesCheckpoint);
  });

  it("should accept 'best' for each of them", () => {
    for (const name of CHECKPOINT_METHODS) {
      const input = apiContract[name].input as z.ZodObject;
      expect(input.shape.checkpoint.safeParse('best').success, name).toBe(true);
    }
  });
});
