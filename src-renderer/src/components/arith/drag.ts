import { SAMPLE_DRAG_TYPE } from '../../lib/state/gallery.svelte';

/**
 * Whether a drag carries a gallery sample. While dragging only the types can be read (the
 * data is hidden until the drop), so `peek` checks the type; on drop the sample id is returned.
 */
export function hasSample(event: DragEvent, peek: true): boolean;
export function hasSample(event: DragEvent): string | null;
export function hasSample(event: DragEvent, peek = false): boolean | string | null {
  const transfer = event.dataTransfer;
  if (!transfer) return peek ? false : null;
  if (peek) return Array.from(transfer.types).includes(SAMPLE_DRAG_TYPE);
  return transfer.getData(SAMPLE_DRAG_TYPE) || null;
}
