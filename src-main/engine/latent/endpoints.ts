/**
 * Resolves walk endpoints to vectors. A seed endpoint is defined as tile 0 of
 * `generate({ seed })` (and of `ganvas sample --seed`): the first z of the seed's sample stream,
 * with class `classIndex` (default 0, as the grid's first tile), so what a person saw on a
 * tile is exactly where the walk starts.
 */
import { invalid, notFound } from '../../shared/errors';
import type { ModelConfig, WalkEndpoint } from '../../shared/types';
import { readConcepts } from '../arith/concepts';
import { meanVector } from '../arith/vector';
import type { Project } from '../project/project';
import { latentVectors } from '../sampling/noise';
import { deriveSeed, Stream } from '../util/rng';
import { findSample } from './gallery';
import type { EndpointResolver, ResolvedPoint } from './plan';

/** z [zDim] of tile `index` of `generate({ seed })`. */
export function seedLatent(model: Pick<ModelConfig, 'zDim' | 'latent'>, seed: number, index = 0): Float32Array {
  // latentVectors fills rows in order from one stream, so row `index` is the same for any count > index.
  const rows = latentVectors(model, index + 1, deriveSeed(seed, Stream.sample));
  return rows.slice(index * model.zDim, (index + 1) * model.zDim);
}

/** The point a concept stands for: the mean z of its samples (paper Sec. 6.3), their most common class. */
function conceptPoint(project: Project, id: string): ResolvedPoint {
  const concept = readConcepts(project).find((c) => c.id === id);
  if (!concept) throw notFound(`No saved concept with id ${id} in this project`);
  if (concept.members.length === 0) throw invalid(`Concept ${concept.name} has no samples yet: drag some into it first`);
  const counts = new Map<number, number>();
  for (const m of concept.members) if (m.label != null) counts.set(m.label, (counts.get(m.label) ?? 0) + 1);
  const label = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? null;
  return { z: meanVector(concept.members.map((m) => m.z)), label };
}

/** A resolver for a project: seeds, explicit z, saved gallery samples and saved concepts by id. */
export function endpointResolver(project: Project): EndpointResolver {
  const { model } = project.config;
  return (endpoint: WalkEndpoint): ResolvedPoint => {
    switch (endpoint.kind) {
      case 'seed':
        return { z: seedLatent(model, endpoint.seed), label: model.numClasses > 0 ? (endpoint.classIndex ?? 0) : null };
      case 'z':
        return { z: Float32Array.from(endpoint.z), label: endpoint.label ?? null };
      case 'sample': {
        const sample = findSample(project, endpoint.id);
        return { z: Float32Array.from(sample.z), label: sample.label };
      }
      case 'concept':
        return conceptPoint(project, endpoint.id);
    }
  };
}
