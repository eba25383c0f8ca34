/** The renderer's tile hit-testing must agree with the engine's grid layout. */
import { describe, expect, it } from 'vitest';
import { composeTiles } from '../../src-main/engine/inspect/tiles';
import { moveTile, tileAt, tileRect } from '../../src-main/shared/tile-layout';
import type { TileGrid } from '../../src-main/shared/types/inspect';

// 10 tiles of 3x2 px in 4 columns, pad 1, drawn at scale 2: tile t is filled with value t + 1.
const spec = { count: 10, tileWidth: 3, tileHeight: 2, channels: 1 as const, cols: 4, pad: 1, background: 0 };
const { image, cols, rows, pad } = composeTiles(spec, (t) => t + 1);
const grid: TileGrid = {
  pngBase64: '',
  width: image.width * 2,
  height: image.height * 2,
  count: 10,
  cols,
  rows,
  tileWidth: 3,
  tileHeight: 2,
  pad,
  scale: 2,
};

describe('tile grid hit-testing', () => {
  it('should map every pixel of the composed image to the tile drawn there (or none on padding)', () => {
    for (let y = 0; y < image.height; y++) {
      for (let x = 0; x < image.width; x++) {
        const drawn = image.data[y * image.width + x];
        const hit = tileAt(grid, (x + 0.5) / image.width, (y + 0.5) / image.height);
        expect(hit === null ? 0 : hit + 1).toBe(drawn);
      }
    }
  });

  it("should place a tile's highlight over its pixels", () => {
    const r = tileRect(grid, 6); // row 1, col 2
    expect(r.left).toBeCloseTo((100 * (1 + 2 * 4)) / image.width);
    expect(r.top).toBeCloseTo((100 * (1 + 1 * 3)) / image.height);
  });

  it('should move with the arrow keys within the tiles', () => {
    expect(moveTile(grid, 0, 'ArrowDown')).toBe(4);
    expect(moveTile(grid, 8, 'ArrowDown')).toBe(9);
    expect(moveTile(grid, 0, 'ArrowLeft')).toBe(0);
    expect(moveTile(grid, 3, 'End')).toBe(9);
    expect(moveTile(grid, 3, 'a')).toBeNull();
  });
});
