/** Running a projection to the end, for callers that need no chunk-by-chunk control (CLI, tests). */
import { Projection, type ProjectionNets, type ProjectionProgress, type ProjectionResult } from './projector';
import type { ProjectionOptions } from './options';

export interface ProjectControl {
  onProgress?(p: ProjectionProgress): void;
  signal?: AbortSignal;
  /** Steps between progress reports and cancel checks (default 10). */
  chunk?: number;
}

/** Runs a whole projection of one or more images (one batch), yielding to the event loop between chunks; an aborted signal cancels it. */
export async function projectImages(
  nets: ProjectionNets,
  targets: Float32Array[],
  options: ProjectionOptions = {},
  control: ProjectControl = {},
): Promise<ProjectionResult[]> {
  const job = Projection.begin(nets, targets, options);
  try {
    while (!job.done) {
      if (control.signal?.aborted) {
        job.cancel();
        throw new Error('Projection cancelled');
      }
      const progress = job.step(control.chunk ?? 10);
      control.onProgress?.(progress);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return job.results();
  } finally {
    job.dispose();
  }
}

/** One image: projectImages with a single target. */
export async function projectImage(
  nets: ProjectionNets,
  target: Float32Array,
  options: ProjectionOptions = {},
  control: ProjectControl = {},
): Promise<ProjectionResult> {
  const [result] = await projectImages(nets, [target], options, control);
  return result;
}
