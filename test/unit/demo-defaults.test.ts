/**
 * `npm run demo` is the first command README shows: its defaults (steps, preset, the final grid)
 * must be the ones README's demo paragraph and command table quote, and the ones the demo's
 * readability figure was measured with (test/bench/demo-quality.ts). Change them together.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_DEFAULTS, demoCommand } from '../../src-main/cli/commands/demo';
import { PRESETS } from '../../src-main/engine/models/presets';

const readme = fs.readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
const demoParagraph = readme.slice(readme.indexOf('`npm run demo` creates'), readme.indexOf('## Install'));
const steps = DEMO_DEFAULTS.steps.toLocaleString('en-US');

describe('the demo defaults', () => {
  it('should train the steps README quotes', () => {
    expect(demoParagraph).toContain(`trains ${steps} steps`);
    expect(readme).toContain(`\`demo [--dir ${DEMO_DEFAULTS.dir}] [--steps ${DEMO_DEFAULTS.steps}]\``);
    expect(demoCommand.usage).toContain(`[--steps ${DEMO_DEFAULTS.steps}]`);
  });

  it("should use the preset README names, which is a built-in one with the paper's training settings", () => {
    expect(demoParagraph).toContain(`\`${DEMO_DEFAULTS.preset}\` preset`);
    const preset = PRESETS.find((p) => p.id === DEMO_DEFAULTS.preset);
    expect(preset?.train ?? {}).toEqual({});
  });

  it('should train the width README names', () => {
    expect(demoParagraph).toContain(`\`--ngf ${DEMO_DEFAULTS.ngf} --ndf ${DEMO_DEFAULTS.ndf}\``);
  });

  it("should train the conditional model with G's moving average README describes", () => {
    expect(DEMO_DEFAULTS.conditional).toBe(true);
    expect(demoParagraph).toContain('conditional on the digit');
    expect(demoParagraph).toContain(`moving average of G's weights (decay ${DEMO_DEFAULTS.emaDecay})`);
  });

  it('should write the grid README describes', () => {
    expect(demoParagraph).toContain(`${DEMO_DEFAULTS.gridCount}-sample grid`);
    expect(demoParagraph).toContain(`seed ${DEMO_DEFAULTS.gridSeed}`);
  });

  it('should still take --steps', () => {
    expect(demoCommand.options?.steps).toEqual({ type: 'string' });
  });
});
