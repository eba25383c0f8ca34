/** Look inside the networks (paper Sec. 6): filters, feature maps, guided backprop, forgetting. */
import { parseInput } from '../../shared/contract';
import { loadForgetAnnotations, saveForgetAnnotations } from '../inspect/annotations';
import { inspectLayers } from '../inspect/layers';
import { checkpointSteps } from '../project/checkpoints';
import { loadProjectConfig } from '../project/project';
import type { EngineApi, EngineContext } from './context';

export function inspectApi(ctx: EngineContext) {
  const { resolveDir } = ctx;
  /** Validates the folder here, so a bad path fails fast with the project loader's message. */
  const project = (dir: string) => {
    const abs = resolveDir(dir);
    return { abs, config: loadProjectConfig(abs) };
  };

  return {
    inspectLayers: async (input) => {
      const { abs, config } = project(parseInput('inspectLayers', input).dir);
      return inspectLayers(config.model, checkpointSteps(abs).at(-1) ?? 0);
    },
    inspectFilters: async (input) => {
      const args = parseInput('inspectFilters', input);
      return ctx.inference().task('inspectFilters', { ...args, dir: project(args.dir).abs });
    },
    inspectFeatures: async (input) => {
      const args = parseInput('inspectFeatures', input);
      return ctx.inference().task('inspectFeatures', { ...args, dir: project(args.dir).abs });
    },
    inspectTopActivating: async (input) => {
      const args = parseInput('inspectTopActivating', input);
      return ctx.inference().task('inspectTopActivating', { ...args, dir: project(args.dir).abs });
    },
    inspectGuided: async (input) => {
      const args = parseInput('inspectGuided', input);
      return ctx.inference().task('inspectGuided', { ...args, dir: project(args.dir).abs });
    },
    forgetAnnotations: async (input) => loadForgetAnnotations(project(parseInput('forgetAnnotations', input).dir).abs),
    saveForgetAnnotations: async (input) => {
      const { dir, annotations } = parseInput('saveForgetAnnotations', input);
      return saveForgetAnnotations(project(dir).abs, annotations);
    },
    forgetFit: async (input) => {
      const args = parseInput('forgetFit', input);
      return ctx.inference().task('forgetFit', { ...args, dir: project(args.dir).abs });
    },
    forgetRender: async (input) => {
      const args = parseInput('forgetRender', input);
      return ctx.inference().task('forgetRender', { ...args, dir: project(args.dir).abs });
    },
  } satisfies Partial<EngineApi>;
}
