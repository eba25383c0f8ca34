/**
 * A perceptual hash for finding near-duplicate images, tf-free, over a small greyscale raster:
 * pHash as the `imagehash` library computes it: the image at 32x32, a 2-D DCT-II, the 8x8
 * lowest frequencies, each bit = coefficient above their median. Survives re-encoding, resizing,
 * small brightness changes and light blur; not mirroring or large crops. (dHash, the gradient
 * hash, was measured too and dropped: it flips on flat backgrounds, e.g. a brightened digit.)
 * Hashes are 64 bits held as 16 hex digits; their Hamming distance measures difference.
 */

/** Area-average resize of a greyscale raster [h, w] to [H, W] (exact box filter, any direction). */
export function resizeArea(src: ArrayLike<number>, w: number, h: number, W: number, H: number): Float64Array {
  const out = new Float64Array(W * H);
  const sx = w / W;
  const sy = h / H;
  for (let Y = 0; Y < H; Y++) {
    const y0 = Y * sy;
    const y1 = y0 + sy;
    for (let X = 0; X < W; X++) {
      const x0 = X * sx;
      const x1 = x0 + sx;
      let acc = 0;
      for (let y = Math.floor(y0); y < Math.min(h, Math.ceil(y1)); y++) {
        const wy = Math.min(y + 1, y1) - Math.max(y, y0);
        for (let x = Math.floor(x0); x < Math.min(w, Math.ceil(x1)); x++) {
          acc += src[y * w + x] * wy * (Math.min(x + 1, x1) - Math.max(x, x0));
        }
      }
      out[Y * W + X] = acc / (sx * sy);
    }
  }
  return out;
}

const N = 32;
/** cos(pi (2i + 1) k / 2N) for the 32-point DCT, [k, i]. */
const COS = Float64Array.from({ length: N * N }, (_, j) => Math.cos((Math.PI * (2 * (j % N) + 1) * Math.floor(j / N)) / (2 * N)));

/** 1-D 32-point DCT-II (unnormalised, as scipy.fftpack.dct type 2 up to a factor 2) of values read with `stride`. */
function dct32(values: Float64Array, offset: number, stride: number, out: Float64Array): void {
  for (let k = 0; k < N; k++) {
    let acc = 0;
    for (let i = 0; i < N; i++) acc += values[offset + i * stride] * COS[k * N + i];
    out[k] = acc;
  }
}

const bitsToHex = (bits: boolean[]) => {
  let hex = '';
  for (let i = 0; i < bits.length; i += 4) {
    hex += ((+bits[i] << 3) | (+bits[i + 1] << 2) | (+bits[i + 2] << 1) | +bits[i + 3]).toString(16);
  }
  return hex;
};

/** pHash of a greyscale raster [h, w] (any range): 16 hex digits. */
export function pHash(grey: ArrayLike<number>, w: number, h: number): string {
  const n = N;
  const small = resizeArea(grey, w, h, n, n);
  const rows = new Float64Array(n * n);
  const tmp = new Float64Array(n);
  for (let y = 0; y < n; y++) {
    dct32(small, y * n, 1, tmp);
    rows.set(tmp, y * n);
  }
  const low = new Float64Array(64);
  for (let x = 0; x < 8; x++) {
    dct32(rows, x, n, tmp);
    for (let y = 0; y < 8; y++) low[y * 8 + x] = tmp[y];
  }
  const sorted = Float64Array.from(low).sort();
  const median = (sorted[31] + sorted[32]) / 2;
  return bitsToHex(Array.from(low, (v) => v > median));
}

/** A 64-bit hex hash as two 32-bit halves (for fast Hamming distances over many hashes). */
export function hashWords(hex: string): [number, number] {
  if (!/^[0-9a-f]{16}$/.test(hex)) throw new Error(`Not a 64-bit hex hash: ${hex}`);
  return [parseInt(hex.slice(0, 8), 16) >>> 0, parseInt(hex.slice(8), 16) >>> 0];
}

export function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** Hamming distance between two 64-bit hex hashes. */
export function hamming(a: string, b: string): number {
  const [ah, al] = hashWords(a);
  const [bh, bl] = hashWords(b);
  return popcount32(ah ^ bh) + popcount32(al ^ bl);
}
