/** A bounded parallel map whose results are consumed strictly in input order. */

/**
 * Starts `work(item)` for up to `concurrency` items at once and hands each result to `consume`
 * in input order (so output is deterministic however the work interleaves). Awaiting the oldest
 * job before starting another bounds memory to `concurrency` results. Checks `signal` before
 * each new job. On any error, waits for in-flight jobs to settle (so callers may delete files
 * they use) and rethrows.
 */
export async function forEachOrdered<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
  consume: (result: R, item: T, index: number) => Promise<void> | void,
  signal?: AbortSignal,
): Promise<void> {
  const inFlight: Promise<R>[] = [];
  let consumed = 0;
  const consumeOldest = async (): Promise<void> => {
    const result = await (inFlight.shift() as Promise<R>);
    await consume(result, items[consumed], consumed);
    consumed += 1;
  };
  try {
    for (const item of items) {
      signal?.throwIfAborted();
      inFlight.push(work(item));
      if (inFlight.length >= Math.max(1, concurrency)) await consumeOldest();
    }
    while (inFlight.length > 0) await consumeOldest();
    signal?.throwIfAborted();
  } catch (err) {
    await Promise.allSettled(inFlight);
    throw err;
  }
}
