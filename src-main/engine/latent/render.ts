/**
 * Renders latent rows with G in inference mode (moving BatchNorm statistics, so a frame depends
 * only on its own z and label, never on the other frames of its batch).
 */
import type { ModelConfig } from '../../shared/types';
import type { Network } from '../models/network';
import type { Drawer } from '../sampling/drawer';
import { generateRows } from '../sampling/sampler';
import type { PlannedFrame } from './plan';

/** Rows G renders in one call: big enough to amortise dispatch, small enough for snappy paging. */
export const RENDER_CHUNK = 16;

/** Frames as flat z rows [n, zDim] and label rows [n, numClasses] (null for unconditional models). */
export function frameRows(model: ModelConfig, frames: PlannedFrame[]): { z: Float32Array; labels: Float32Array | null } {
  const z = new Float32Array(frames.length * model.zDim);
  frames.forEach((f, i) => z.set(f.z, i * model.zDim));
  let labels: Float32Array | null = null;
  if (model.numClasses > 0) {
    labels = new Float32Array(frames.length * model.numClasses);
    frames.forEach((f, i) => {
      if (!f.label || f.label.length !== model.numClasses) throw new Error(`Frame ${i} needs a label row of ${model.numClasses} numbers`);
      labels!.set(f.label, i * model.numClasses);
    });
  }
  return { z, labels };
}

/**
 * G on n frames: z rows [n, zDim] and label rows [n, numClasses] (one-hot or soft; conditional
 * models only). Returns NHWC floats in [-1, 1], length n * size * size * channels.
 */
export function renderFrames(G: Network, model: ModelConfig, frames: PlannedFrame[], chunk = RENDER_CHUNK): Float32Array {
  const { z, labels } = frameRows(model, frames);
  return generateRows(G, model, z, labels, chunk);
}

/** renderFrames on a Drawer's device (this process or the compute window). */
export function drawFrames(drawer: Drawer, model: ModelConfig, frames: PlannedFrame[]): Promise<Float32Array> {
  const { z, labels } = frameRows(model, frames);
  return drawer.images(z, labels);
}

/** Rows as the API sends them (z, class index or soft label row) -> planned frames. */
export function framesFromRows(
  model: Pick<ModelConfig, 'zDim' | 'numClasses'>,
  rows: { z: number[]; label?: number | number[] | null }[],
): PlannedFrame[] {
  return rows.map((row, i) => {
    if (row.z.length !== model.zDim) throw new Error(`Row ${i} has ${row.z.length} numbers but this model's z has ${model.zDim}`);
    let label: Float32Array | null = null;
    if (model.numClasses > 0) {
      if (Array.isArray(row.label)) {
        if (row.label.length !== model.numClasses)
          throw new Error(`Row ${i}'s label has ${row.label.length} numbers; the model has ${model.numClasses} classes`);
        label = Float32Array.from(row.label);
      } else {
        const c = row.label ?? 0;
        if (c >= model.numClasses) throw new Error(`Class ${c} does not exist: this model has classes 0..${model.numClasses - 1}`);
        label = new Float32Array(model.numClasses);
        label[c] = 1;
      }
    }
    return { z: Float32Array.from(row.z), label };
  });
}
