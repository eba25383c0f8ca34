/**
 * Hit-testing and navigation on the engine's tile grids (layout: TileGrid in inspect-types.ts).
 * Shared so the renderer's click mapping is tested against the engine's own layout code.
 */
import type { TileGrid } from './types/inspect';

/** Size of the grid in source pixels (before the engine's scale). */
export function sourceSize(grid: TileGrid): { width: number; height: number } {
  return { width: grid.width / grid.scale, height: grid.height / grid.scale };
}

/** The tile under a point given as fractions (0..1) of the image's width and height; null on padding. */
export function tileAt(grid: TileGrid, fx: number, fy: number): number | null {
  const { width, height } = sourceSize(grid);
  const x = fx * width - grid.pad;
  const y = fy * height - grid.pad;
  const col = Math.floor(x / (grid.tileWidth + grid.pad));
  const row = Math.floor(y / (grid.tileHeight + grid.pad));
  if (col < 0 || row < 0 || col >= grid.cols || row >= grid.rows) return null;
  if (x - col * (grid.tileWidth + grid.pad) >= grid.tileWidth || y - row * (grid.tileHeight + grid.pad) >= grid.tileHeight) return null;
  const index = row * grid.cols + col;
  return index < grid.count ? index : null;
}

/** Where tile i sits, in percent of the image (for highlight overlays). */
export function tileRect(grid: TileGrid, i: number): { left: number; top: number; width: number; height: number } {
  const { width, height } = sourceSize(grid);
  const col = i % grid.cols;
  const row = Math.floor(i / grid.cols);
  return {
    left: (100 * (grid.pad + col * (grid.tileWidth + grid.pad))) / width,
    top: (100 * (grid.pad + row * (grid.tileHeight + grid.pad))) / height,
    width: (100 * grid.tileWidth) / width,
    height: (100 * grid.tileHeight) / height,
  };
}

/** Arrow keys move by one tile or one row, Home/End/PageUp/PageDown jump; null for other keys. */
export function moveTile(grid: TileGrid, i: number, key: string): number | null {
  const last = grid.count - 1;
  const clamp = (v: number) => Math.max(0, Math.min(last, v));
  switch (key) {
    case 'ArrowRight':
      return clamp(i + 1);
    case 'ArrowLeft':
      return clamp(i - 1);
    case 'ArrowDown':
      return clamp(i + grid.cols);
    case 'ArrowUp':
      return clamp(i - grid.cols);
    case 'Home':
      return 0;
    case 'End':
      return last;
    case 'PageDown':
      return clamp(i + grid.cols * 4);
    case 'PageUp':
      return clamp(i - grid.cols * 4);
    default:
      return null;
  }
}
