/**
 * One replica of a data-parallel run: a full G, D and both Adams in this thread's tfjs, training on
 * its slice of each batch. The step is `trainStep`'s (train/step.ts) with the two optimiser
 * updates fed by averages over all replicas instead of this slice's gradients alone:
 *
 *   G(z_slice) → D gradients of the slice ─┐ exchange: mean of D grads, both nets' BatchNorm
 *                                          ┘ moving statistics → every replica: Adam on D
 *   G gradients through the updated D ─────┐ exchange: mean of G grads → every replica: Adam on G
 *
 * BatchNorm in training mode normalises with the slice's own statistics (as each replica only sees
 * its slice); the moving statistics each replica updates from its slice are averaged in the D
 * exchange, so they equal an update from the mean of the slice statistics and stay identical.
 */
import { createHash } from 'node:crypto';
import type { ModelConfig } from '../../../shared/types';
import { tf } from '../../backend/tf';
import { ganState, type Gan } from '../../models/gan';
import type { Network } from '../../models/network';
import { snapshotGan } from '../../project/gan-state';
import { stepTensors } from '../device/step-tensors';
import { trainStep, type GradientExchange, type StepMetrics } from '../step';
import type { Exchange } from './exchange';

/** One replica's rows of a step, as StepData (device/device.ts) cut by rows. */
export interface SliceData {
  images: Float32Array;
  labels: Int32Array | null;
  /** The fakes' labels when they are not the real ones (the 'random' scheme), else null. */
  fakeLabels: Int32Array | null;
  z: Float32Array;
}

/** Variables in a fixed order (Map insertion order, the same in every replica built from one config). */
const vars = (m: Map<string, tf.Variable>) => [...m.entries()];
const sizeOf = (m: Map<string, tf.Variable>) => vars(m).reduce((n, [, v]) => n + v.size, 0);

/** Floats per replica in each exchange: [D grads | G stats | D stats] and [G grads]. */
export function exchangeLengths(gan: Gan): { dLength: number; gLength: number } {
  return { dLength: sizeOf(gan.D.params) + sizeOf(gan.G.stats) + sizeOf(gan.D.stats), gLength: sizeOf(gan.G.params) };
}

/** The wasm backend's view of a tensor's values inside its heap (valid until the heap grows). */
type HeapView = (info: tf.TensorInfo) => Float32Array;

/**
 * A float32 tensor's values, for an immediate copy: on wasm a view into the heap, so packing the
 * gradients copies each float once (heap → shared row) instead of twice through a fresh array
 * per tensor (~25 MB of garbage a `paper64` step per replica for the GC, on the cores the replicas
 * compute on); elsewhere dataSync's copy.
 */
function valuesOf(t: tf.Tensor): Float32Array {
  if (t.dtype === 'float32' && tf.getBackend() === 'wasm') {
    const backend = tf.backend() as unknown as { typedArrayFromHeap: HeapView };
    return backend.typedArrayFromHeap(t);
  }
  return t.dataSync() as Float32Array;
}

/** Copies tensors (by the variables' names and order) into `row` from `offset`; returns the next offset. */
function pack(row: Float32Array, offset: number, order: Map<string, tf.Variable>, values: Record<string, tf.Tensor>): number {
  for (const [name, v] of vars(order)) {
    row.set(valuesOf(values[name]), offset);
    offset += v.size;
  }
  return offset;
}

/**
 * Tensors shaped as the variables of `order`, read from `flat` (the shared mean) from `offset`.
 * `keep`: the tensors outlive this step (assigned to variables): copied out of the shared buffer,
 * which the next step overwrites (the cpu backend keeps the array it is given; wasm copies anyway).
 */
function unpack(flat: Float32Array, offset: number, order: Map<string, tf.Variable>, keep = false): [Record<string, tf.Tensor>, number] {
  const out: Record<string, tf.Tensor> = {};
  for (const [name, v] of vars(order)) {
    const values = keep ? flat.slice(offset, offset + v.size) : flat.subarray(offset, offset + v.size);
    out[name] = tf.tensor(values, v.shape);
    offset += v.size;
  }
  return [out, offset];
}

function assignAll(net: Network['stats'], values: Record<string, tf.Tensor>): void {
  for (const [name, v] of net) v.assign(values[name]);
}

export class Replica {
  constructor(
    readonly gan: Gan,
    readonly model: ModelConfig,
    private readonly exchange: Exchange,
  ) {}

  /** One D update then one G update, from this slice and the other replicas' exchanged rows. */
  step(slice: SliceData): StepMetrics {
    const { gan, model, exchange } = this;
    const data = { ...slice, fakeLabels: slice.fakeLabels ?? slice.labels, dropoutSeed: 0 };
    const exchanged: GradientExchange = {
      // D's gradients travel with both networks' BatchNorm moving statistics, updated by this
      // step's G and real-D passes: averaged, they stay identical across replicas.
      d: (grads) => {
        const row = exchange.row('d');
        let at = pack(row, 0, gan.D.params, grads);
        at = pack(row, at, gan.G.stats, Object.fromEntries(gan.G.stats));
        pack(row, at, gan.D.stats, Object.fromEntries(gan.D.stats));
        const mean = exchange.reduce('d');
        const [dGrads, afterGrads] = unpack(mean, 0, gan.D.params);
        const [gStats, afterGStats] = unpack(mean, afterGrads, gan.G.stats, true);
        assignAll(gan.G.stats, gStats);
        assignAll(gan.D.stats, unpack(mean, afterGStats, gan.D.stats, true)[0]);
        return dGrads;
      },
      g: (grads) => {
        pack(exchange.row('g'), 0, gan.G.params, grads);
        return unpack(exchange.reduce('g'), 0, gan.G.params)[0];
      },
    };
    return stepTensors(model, data, (input) => trainStep(gan, input, exchanged));
  }

  /** SHA-256 of the whole training state (weights, statistics, Adam moments and step counts). */
  checksum(): string {
    const hash = createHash('sha256');
    for (const [name, v] of ganState(this.gan)) {
      hash.update(name);
      const data = v.dataSync() as Float32Array;
      hash.update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    }
    hash.update(`adam ${this.gan.optG.step} ${this.gan.optD.step}`);
    return hash.digest('hex');
  }

  snapshot() {
    return { tensors: snapshotGan(this.gan), adamSteps: { G: this.gan.optG.step, D: this.gan.optD.step } };
  }
}
