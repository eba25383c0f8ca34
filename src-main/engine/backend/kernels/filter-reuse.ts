/**
 * Transformed conv filters made once and used by several convs (wasm's Winograd convs and
 * transposed-conv phases, winograd.ts / conv_phases.ts). D's weights serve four passes in a row:
 * G's step through the updated D, then the next step's D over the real and over the fake images,
 * each forward and backward. Keeping a filter's transformed planes keeps XNNPACK's packed copy of
 * them too (tfjs-wasm caches it on the matmul's right operand while that tensor lives), so both
 * are made once per update of D instead of three times.
 *
 * A filter's buffer identifies its values: tfjs never writes into a live tensor, and a variable's
 * `assign` takes a new buffer, so updated weights miss and the old transforms go stale; stale ones
 * (their filter's buffer freed) are freed when a scope ends.
 */
import { tf } from '../tf';
import { convGradMethods } from './methods';

/** Transformed filters by their filter's buffer (its dataId), then by transform. */
export class FilterTransforms {
  private readonly byFilter = new Map<object, Map<string, tf.Tensor2D[]>>();

  /** `make()`'s planes for filter `source` and transform `key`, made on first use and kept. */
  planes(source: tf.TensorInfo, key: string, make: () => tf.Tensor2D[]): tf.Tensor2D[] {
    const byKey = this.byFilter.get(source.dataId) ?? new Map<string, tf.Tensor2D[]>();
    this.byFilter.set(source.dataId, byKey);
    let planes = byKey.get(key);
    if (planes) filterReuseCounts.reused++;
    else {
      byKey.set(key, (planes = make().map((p) => tf.keep(p))));
      filterReuseCounts.made++;
    }
    return planes;
  }

  /** Frees the transforms whose filter's buffer tfjs has freed (weights an update replaced). */
  dropStale(): void {
    // has(), not get(): tfjs' get() of an unknown buffer tries to move it from another backend.
    const live = (tf.backend() as unknown as { dataIdMap?: { has(dataId: object): boolean } }).dataIdMap;
    for (const [dataId, byKey] of this.byFilter) {
      if (live?.has(dataId)) continue;
      for (const planes of byKey.values()) tf.dispose(planes);
      this.byFilter.delete(dataId);
    }
  }

  /** Tensors held now (tests). */
  get size(): number {
    let n = 0;
    for (const byKey of this.byFilter.values()) for (const planes of byKey.values()) n += planes.length;
    return n;
  }

  dispose(): void {
    for (const byKey of this.byFilter.values()) for (const planes of byKey.values()) tf.dispose(planes);
    this.byFilter.clear();
  }
}

/** Transforms made and reused inside withFilterReuse scopes since the process started (tests, profiles). */
export const filterReuseCounts = { made: 0, reused: 0 };

let active: FilterTransforms | null = null;

/**
 * Runs `fn` with its convs' transformed filters shared through `kept` (which outlives the call:
 * only its stale transforms are freed at the end), or through a store of this call alone (freed at
 * the end).
 */
export function withFilterReuse<T>(fn: () => T, kept?: FilterTransforms): T {
  if (active || !convGradMethods.reuseFilters) return fn();
  const store = kept ?? new FilterTransforms();
  active = store;
  try {
    return fn();
  } finally {
    active = null;
    if (kept) kept.dropStale();
    else store.dispose();
  }
}

/** `make()`'s planes, shared inside a withFilterReuse scope; outside one, made for this conv alone. */
export function reusedFilter(source: tf.TensorInfo, key: string, make: () => tf.Tensor2D[]): tf.Tensor2D[] {
  return active ? active.planes(source, key, make) : make();
}
