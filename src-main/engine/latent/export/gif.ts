/**
 * Animated GIF encoding with gifenc, one frame at a time (so an export can report progress and
 * be cancelled between frames). One global palette for the whole animation: per-frame palettes
 * make colours flicker from frame to frame, which reads as noise in a latent walk.
 */
import { createRequire } from 'node:module';
import type gifencModule from 'gifenc';
import { toRgba, upscaleNearest } from './pixels';

// gifenc is CommonJS with named exports that Node's ESM loader cannot see and bundlers read as a
// default: require() gives the same exports object everywhere (tsx, vitest, Electron's bundle).
const { GIFEncoder, quantize, applyPalette } = createRequire(import.meta.url)('gifenc') as typeof gifencModule;

export type Palette = number[][];

/** Pixels the colour quantizer sees at most, spread evenly over all frames (PnnQuant is O(colours^2)). */
const PALETTE_SAMPLE_PIXELS = 1 << 17;

/**
 * The palette for a set of frames (bytes [size * size * channels] each). Grey images get all 256
 * grey levels, so they are encoded losslessly; colour images a 256-colour palette quantized
 * (PnnQuant, rgb565) over pixels sampled from every frame.
 */
export function globalPalette(frames: Uint8Array[], channels: 1 | 3): Palette {
  if (channels === 1) return Array.from({ length: 256 }, (_, v) => [v, v, v]);
  const pixelsPerFrame = frames[0].length / 3;
  const total = pixelsPerFrame * frames.length;
  const stride = Math.max(1, Math.ceil(total / PALETTE_SAMPLE_PIXELS));
  const sample = new Uint8Array(Math.ceil(total / stride) * 4);
  let o = 0;
  for (let p = 0; p < total; p += stride) {
    const frame = frames[Math.floor(p / pixelsPerFrame)];
    const k = (p % pixelsPerFrame) * 3;
    sample[o++] = frame[k];
    sample[o++] = frame[k + 1];
    sample[o++] = frame[k + 2];
    sample[o++] = 255;
  }
  return quantize(sample.subarray(0, o), 256, { format: 'rgb565' });
}

export interface GifOptions {
  /** Frame size before scaling. */
  width: number;
  height: number;
  channels: 1 | 3;
  /** Integer nearest-neighbour upscaling. */
  scale: number;
  fps: number;
  palette: Palette;
}

/** Writes frames into an endlessly looping GIF. */
export class GifWriter {
  private readonly gif = GIFEncoder();
  private frames = 0;
  /** GIF stores delays in 1/100 s: 12 fps becomes 8 cs (12.5 fps). */
  readonly delayMs: number;

  constructor(private readonly opts: GifOptions) {
    this.delayMs = Math.round(1000 / opts.fps);
  }

  get width(): number {
    return this.opts.width * this.opts.scale;
  }

  get height(): number {
    return this.opts.height * this.opts.scale;
  }

  /** Adds a frame: bytes [height, width, channels]. */
  addFrame(bytes: Uint8Array): void {
    const { width, height, channels, scale, palette } = this.opts;
    // Map to palette indices at native size, then upscale the index bitmap: scale^2 times less work.
    const index = channels === 1 ? bytes : applyPalette(toRgba(bytes, channels), palette, 'rgb565');
    const scaled = upscaleNearest(index, width, height, 1, scale);
    this.gif.writeFrame(scaled, this.width, this.height, {
      // The first frame's palette becomes the global colour table; later frames reuse it.
      ...(this.frames === 0 && { palette }),
      delay: this.delayMs,
      repeat: 0, // loop forever (NETSCAPE2.0 extension)
    });
    this.frames++;
  }

  /** The finished file's bytes. */
  finish(): Uint8Array {
    if (this.frames === 0) throw new Error('A GIF needs at least one frame');
    this.gif.finish();
    return this.gif.bytes();
  }
}
