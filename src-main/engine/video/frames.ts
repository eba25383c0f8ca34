/**
 * Video frames: RGBA bytes in, I420 (YUV 4:2:0, 8-bit) out, which is what every H.264 and VP9
 * player decodes. 4:2:0 halves the chroma planes in both directions, so frames are padded to
 * even sizes by repeating the last column or row.
 */

export interface RgbaFrame {
  /** [height, width, 4] bytes; alpha is ignored (videos are opaque). */
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
}

/** The encoded size of a width x height frame: rounded up to even. */
export const evenSize = (n: number) => n + (n % 2);

/**
 * RGBA -> I420 with BT.601 limited-range coefficients (Y in 16..235, Cb/Cr in 16..240), what
 * players assume for an untagged stream of this size. Grey pixels map to exact luma levels and
 * neutral chroma. Odd sizes are padded to even by edge repetition.
 * @returns Y [W*H], then U and V [(W/2)*(H/2)] each, with W, H = evenSize(width, height).
 */
export function rgbaToI420(frame: RgbaFrame): Uint8Array {
  const { data, width, height } = frame;
  if (data.length !== width * height * 4)
    throw new Error(`A ${width}×${height} RGBA frame needs ${width * height * 4} bytes, got ${data.length}`);
  const W = evenSize(width);
  const H = evenSize(height);
  const out = new Uint8Array(W * H + 2 * (W / 2) * (H / 2));
  const u0 = W * H;
  const v0 = u0 + (W / 2) * (H / 2);
  const at = (x: number, y: number) => (Math.min(y, height - 1) * width + Math.min(x, width - 1)) * 4;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const p = at(x, y);
      out[y * W + x] = clamp(16 + (65.481 * data[p] + 128.553 * data[p + 1] + 24.966 * data[p + 2]) / 255);
    }
  }
  for (let y = 0; y < H; y += 2) {
    for (let x = 0; x < W; x += 2) {
      // Chroma of the 2x2 block's mean colour (centre siting is close enough at these sizes).
      let r = 0;
      let g = 0;
      let b = 0;
      for (const [dx, dy] of [
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1],
      ] as const) {
        const p = at(x + dx, y + dy);
        r += data[p];
        g += data[p + 1];
        b += data[p + 2];
      }
      r /= 4;
      g /= 4;
      b /= 4;
      const i = (y / 2) * (W / 2) + x / 2;
      out[u0 + i] = clamp(128 + (-37.797 * r - 74.203 * g + 112 * b) / 255);
      out[v0 + i] = clamp(128 + (112 * r - 93.786 * g - 18.214 * b) / 255);
    }
  }
  return out;
}

const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** Bytes [h, w, channels] (1 grey, 3 RGB) -> RGBA, nearest-neighbour upscaled by an integer factor. */
export function toRgbaFrame(data: Uint8Array, width: number, height: number, channels: 1 | 3 | 4, scale = 1): RgbaFrame {
  const W = width * scale;
  const H = height * scale;
  const out = new Uint8Array(W * H * 4);
  for (let y = 0; y < H; y++) {
    const sy = Math.floor(y / scale);
    for (let x = 0; x < W; x++) {
      const s = (sy * width + Math.floor(x / scale)) * channels;
      const d = (y * W + x) * 4;
      out[d] = data[s];
      out[d + 1] = channels === 1 ? data[s] : data[s + 1];
      out[d + 2] = channels === 1 ? data[s] : data[s + 2];
      out[d + 3] = 255;
    }
  }
  return { data: out, width: W, height: H };
}
