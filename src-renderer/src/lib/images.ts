export { fitScale } from './image-fit';

/** The engine sends images as base64 PNG; the page shows them as data URLs. */
export const pngUrl = (base64: string) => `data:image/png;base64,${base64}`;

/** An <img>'s own size in px, from its load event. */
export function naturalSize(event: Event): { width: number; height: number } {
  const img = event.currentTarget as HTMLImageElement;
  return { width: img.naturalWidth, height: img.naturalHeight };
}
