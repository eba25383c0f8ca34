/**
 * The compute window is a sandboxed page with no Node: everything its entry imports must be
 * browser code. A Node module reached by accident (an engine file that also writes files, sharp)
 * would be stubbed out by the bundler with only a warning and fail in the window at run time.
 */
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

describe("the compute window's bundle", () => {
  it('should reach no Node built-in and no native package from its entry', async () => {
    const result = await build({
      entryPoints: ['src-main/engine/compute/browser/page-entry.ts'],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      metafile: true,
      logLevel: 'silent',
      // The tfjs packages are browser builds; only the engine's own import graph is in question.
      external: ['@tensorflow/*'],
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).toContain('src-main/engine/compute/browser/page-pictures.ts');
    expect(inputs.filter((file) => /^node:|node_modules\/(sharp|detect-libc)\//.test(file))).toEqual([]);
  }, 60_000);
});
