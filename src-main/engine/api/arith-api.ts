/**
 * Latent vector arithmetic (DCGAN paper Sec. 6.3): concepts saved in the project, expressions over
 * their mean z rendered as the paper's 3x3 grid, and direction vectors applied to a sample.
 * Files are read here; G runs in the inference worker.
 */
import { DEFAULT_ARITH_NOISE, MAX_EXPRESSION_TERMS } from '../../shared/arith-schemas';
import { ExprError, resolveExpression } from '../../shared/arith-expression';
import { ApiError, parseInput } from '../../shared/contract';
import { createConcept, deleteConcept, readConcepts, updateConcept } from '../arith/concepts';
import { loadProjectConfig } from '../project/project';
import type { EngineApi, EngineContext } from './context';

export function arithApi(ctx: EngineContext) {
  const { resolveDir } = ctx;
  /** The project's folder, checked to be a project (clear error before touching concepts.json). */
  const project = (dir: string) => {
    const resolved = resolveDir(dir);
    return { dir: resolved, config: loadProjectConfig(resolved) };
  };
  const conceptById = (dir: string, id: string) => {
    const concept = readConcepts(dir).find((c) => c.id === id);
    if (!concept) throw new ApiError('That concept no longer exists (deleted elsewhere?)');
    return concept;
  };

  return {
    conceptList: async (input) => readConcepts(project(parseInput('conceptList', input).dir).dir),
    conceptCreate: async (input) => {
      const { dir, ...rest } = parseInput('conceptCreate', input);
      const p = project(dir);
      return createConcept(p.dir, p.config.model, rest);
    },
    conceptUpdate: async (input) => {
      const { dir, id, ...patch } = parseInput('conceptUpdate', input);
      const p = project(dir);
      return updateConcept(p.dir, p.config.model, id, patch);
    },
    conceptDelete: async (input) => {
      const { dir, id } = parseInput('conceptDelete', input);
      return deleteConcept(project(dir).dir, id);
    },
    arithCompose: async (input) => {
      const { dir, expression, noise, noiseSeed } = parseInput('arithCompose', input);
      const p = project(dir);
      let resolved;
      try {
        resolved = resolveExpression(expression, readConcepts(p.dir));
      } catch (err) {
        if (err instanceof ExprError) throw new ApiError(`Expression: ${err.message}`);
        throw err;
      }
      if (resolved.length > MAX_EXPRESSION_TERMS) throw new ApiError(`An expression may use at most ${MAX_EXPRESSION_TERMS} concepts`);
      return ctx.inference().task('arithCompose', {
        dir: p.dir,
        terms: resolved.map(({ concept, weight }) => ({
          conceptId: concept.id,
          symbol: concept.symbol,
          name: concept.name,
          weight,
          members: concept.members,
        })),
        noise: noise ?? DEFAULT_ARITH_NOISE,
        noiseSeed: noiseSeed ?? 0,
      });
    },
    arithDirection: async (input) => {
      const { dir, a, b, base, strengths } = parseInput('arithDirection', input);
      const p = project(dir);
      if (a === b) throw new ApiError('A direction needs two different concepts');
      return ctx.inference().task('arithDirection', {
        dir: p.dir,
        a: conceptById(p.dir, a).members,
        b: conceptById(p.dir, b).members,
        base,
        strengths,
      });
    },
  } satisfies Partial<EngineApi>;
}
