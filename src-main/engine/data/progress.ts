/** Throttled progress reporting shared by imports: enough updates for a smooth bar, not one per image. */

export type ProgressCallback = (done: number, total: number, file?: string) => void;

/**
 * Returns `tick(done, file?)` that forwards to `onProgress` at 0, every ~1% of `total`, and at `total`.
 * Without a callback, ticks are no-ops.
 */
export function progressTicker(total: number, onProgress?: ProgressCallback): (done: number, file?: string) => void {
  if (!onProgress) return () => undefined;
  const step = Math.max(1, Math.floor(total / 100));
  let next = 0;
  return (done, file) => {
    if (done < next && done < total) return;
    next = (Math.floor(done / step) + 1) * step;
    onProgress(done, total, file);
  };
}
