/**
 * The projection as an animation: the target beside the best reconstruction at each recorded
 * step, upscaled nearest-neighbour, as RGBA frames for the GIF and video writers.
 */
import type { ModelConfig } from '../../shared/types';
import { bytesToGrid, frameBytes } from '../latent/export/pixels';
import { toRgbaFrame, type RgbaFrame } from '../video/frames';
import type { ProjectionResult } from './projector';

/** Frames [target | reconstruction] of `result.frames`, then the final result held for `holdFrames`. */
export function projectionAnimation(
  result: Pick<ProjectionResult, 'target' | 'frames' | 'image'>,
  model: Pick<ModelConfig, 'size' | 'channels'>,
  scale = Math.max(1, Math.round(128 / model.size)),
  holdFrames = 6,
): RgbaFrame[] {
  const { size, channels } = model;
  const target = frameBytes(result.target, 0, size, channels);
  const pair = (image: Float32Array) => {
    const grid = bytesToGrid([target, frameBytes(image, 0, size, channels)], size, channels, 2);
    return toRgbaFrame(grid.data, grid.width, grid.height, channels, scale);
  };
  const frames = result.frames.map((f) => pair(f.image));
  const last = pair(result.image);
  for (let i = 0; i < holdFrames; i++) frames.push(last);
  return frames;
}
