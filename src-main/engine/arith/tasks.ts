/**
 * Latent arithmetic in a compute host (DCGAN paper Sec. 6.3): expressions over the project's
 * concepts rendered as the paper's 3x3 grid, and direction vectors applied to a sample.
 */
import { DEFAULT_ARITH_NOISE, MAX_EXPRESSION_TERMS, type arithContract } from '../../shared/contract/arith';
import { ExprError, resolveExpression } from '../../shared/arith-expression';
import { GanvasError, invalid, notFound } from '../../shared/errors';
import type { ApiArgs } from '../../shared/contract';
import type { Concept } from '../../shared/types';
import type { TasksOf } from '../handler-types';
import { checkpointStep } from '../health/report';
import { seedLatent } from '../latent/endpoints';
import type { Project } from '../project/project';
import { composeArith, renderDirection } from './compose';
import { checkMembers, readConcepts } from './concepts';

type InlineConcept = NonNullable<ApiArgs<'arithCompose'>['concepts']>[number];

/** A concept given with the call: seed members become tile 0 of `generate({ seed })`, checked like saved ones. */
function inlineConcept(project: Project, c: InlineConcept): Concept {
  const { model } = project.config;
  const members = c.members.map((m) =>
    'z' in m ? m : { z: Array.from(seedLatent(model, m.seed)), label: model.numClasses > 0 ? (m.label ?? 0) : null, seed: m.seed },
  );
  const now = new Date().toISOString();
  return {
    id: `inline-${c.symbol}`,
    symbol: c.symbol,
    name: c.name,
    members: checkMembers(members, model),
    createdAt: now,
    updatedAt: now,
  };
}

function conceptMembers(project: Project, id: string) {
  const concept = readConcepts(project).find((c) => c.id === id);
  if (!concept) throw notFound('That concept no longer exists (deleted elsewhere?)');
  return concept.members;
}

export const arithTasks: TasksOf<typeof arithContract> = {
  arithCompose: async (project, { expression, noise, noiseSeed, concepts, gridScale, checkpoint }, ctx) => {
    const given = (concepts ?? []).map((c) => inlineConcept(project, c));
    const saved = readConcepts(project).filter((c) => !given.some((g) => g.symbol === c.symbol));
    let resolved;
    try {
      resolved = resolveExpression(expression, [...given, ...saved]);
    } catch (err) {
      if (err instanceof ExprError) throw new GanvasError('invalid', `Expression: ${err.message}`, 'expression', err.message);
      throw err;
    }
    if (resolved.length > MAX_EXPRESSION_TERMS) throw invalid(`An expression may use at most ${MAX_EXPRESSION_TERMS} concepts`);
    const gan = project.ganAt(checkpointStep(project, checkpoint));
    return composeArith(ctx.drawer(project, gan), project.config.model, gan.step, {
      terms: resolved.map(({ concept, weight }) => ({
        conceptId: concept.id,
        symbol: concept.symbol,
        name: concept.name,
        weight,
        members: concept.members,
      })),
      noise: noise ?? DEFAULT_ARITH_NOISE,
      noiseSeed: noiseSeed ?? 0,
      gridScale,
    });
  },
  arithDirection: async (project, { a, b, base, strengths, checkpoint }, ctx) => {
    if (a === b) throw invalid('A direction needs two different concepts');
    const gan = project.ganAt(checkpointStep(project, checkpoint));
    return renderDirection(ctx.drawer(project, gan), project.config.model, gan.step, {
      a: conceptMembers(project, a),
      b: conceptMembers(project, b),
      base,
      strengths,
    });
  },
};
