/**
 * Evaluate what was learned: classification with D's features (paper Sec. 5.1), the quality
 * score per checkpoint and the memorisation check. Logs are read here; every computation runs
 * as a task in the inference worker.
 */
import { parseInput } from '../../shared/contract';
import type { EvalLogs } from '../../shared/eval-types';
import { labelsMissing } from '../eval/dataset';
import { readClassifierInfo } from '../eval/fd-classifier-file';
import { readFeatureRuns, readMemorisationRows, readQualityRows } from '../eval/store';
import { loadProjectConfig } from '../project/project';
import type { EngineApi, EngineContext } from './context';

export function evalApi(ctx: EngineContext) {
  const { resolveDir } = ctx;
  const project = (dir: string) => {
    const abs = resolveDir(dir);
    return { abs, config: loadProjectConfig(abs) };
  };

  return {
    evalLogs: async (input): Promise<EvalLogs> => {
      const { abs, config } = project(parseInput('evalLogs', input).dir);
      const classifier = readClassifierInfo(abs);
      return {
        labelsMissing: labelsMissing(config),
        features: readFeatureRuns(abs),
        quality: classifier ? readQualityRows(abs).filter((r) => r.classifierId === classifier.id) : [],
        memorisation: readMemorisationRows(abs),
        classifier,
      };
    },
    evalFeatures: async (input) => {
      const args = parseInput('evalFeatures', input);
      return ctx.inference().task('evalFeatures', { ...args, dir: project(args.dir).abs });
    },
    evalQuality: async (input) => {
      const args = parseInput('evalQuality', input);
      return ctx.inference().task('evalQuality', { ...args, dir: project(args.dir).abs });
    },
    evalMemorisation: async (input) => {
      const args = parseInput('evalMemorisation', input);
      return ctx.inference().task('evalMemorisation', { ...args, dir: project(args.dir).abs });
    },
    evalCancel: async (input) => ctx.inference().task('evalCancel', { dir: resolveDir(parseInput('evalCancel', input).dir) }),
  } satisfies Partial<EngineApi>;
}
