import type { AnimationFormat, SaveFileFilter } from './api-types';

/** The formats every animation export offers (walks, directions, projections, timelapses). */
export const ANIMATION_FORMATS: { value: AnimationFormat; label: string; filter: SaveFileFilter }[] = [
  { value: 'gif', label: 'Animated GIF', filter: { name: 'Animated GIF', extensions: ['gif'] } },
  { value: 'mp4', label: 'MP4 video (H.264)', filter: { name: 'MP4 video', extensions: ['mp4'] } },
  { value: 'webm', label: 'WebM video (VP8)', filter: { name: 'WebM video', extensions: ['webm'] } },
];

/** The save dialog of an animation export in `format`. */
export function animationDialog(title: string, baseName: string, format: AnimationFormat) {
  const entry = ANIMATION_FORMATS.find((f) => f.value === format)!;
  return { title, defaultName: `${baseName}.${format}`, filters: [entry.filter] };
}
