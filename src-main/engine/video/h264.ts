/**
 * MP4 / H.264 in Node with `h264-mp4-encoder`: minih264 (an H.264 Baseline encoder) and minimp4
 * compiled to WebAssembly, MIT licensed, no native binary and no download at install (the wasm
 * is inlined in the package's JS). It keeps its output in an in-memory file system, read back
 * at the end. See docs/project-and-directions.md for why this library.
 */
import { createRequire } from 'node:module';
import type { H264MP4Encoder } from 'h264-mp4-encoder';
import { evenSize, rgbaToI420, type RgbaFrame } from './frames';

type Module = { createH264MP4Encoder(): Promise<H264MP4Encoder> };
let loaded: Module | null = null;

/**
 * Emscripten's Node glue installs process-wide 'uncaughtException' (rethrow) and
 * 'unhandledRejection' (abort) handlers when the module loads; they would override the worker's
 * and CLI's own error reporting, so they are removed again right after loading.
 */
function load(): Module {
  if (loaded) return loaded;
  const events = ['uncaughtException', 'unhandledRejection'];
  const emitter = process as unknown as NodeJS.EventEmitter;
  const before = events.map((e) => new Set(emitter.listeners(e)));
  loaded = createRequire(import.meta.url)('h264-mp4-encoder') as Module;
  events.forEach((e, i) => {
    for (const l of emitter.listeners(e)) if (!before[i].has(l)) emitter.removeListener(e, l as (...args: unknown[]) => void);
  });
  return loaded;
}

let fileCount = 0;

export class H264Mp4Writer {
  private closed = false;
  /** Created with the first frame: an encoder that never saw a frame cannot be freed without aborting the wasm runtime. */
  private encoder: H264MP4Encoder | null = null;

  private constructor(
    private readonly module: Module,
    readonly width: number,
    readonly height: number,
    private readonly fps: number,
    private readonly quality: number,
  ) {}

  /**
   * @param quality 0 (smallest) .. 100 (best); mapped to the quantiser 40..12.
   */
  static create(width: number, height: number, fps: number, quality: number): H264Mp4Writer {
    return new H264Mp4Writer(load(), evenSize(width), evenSize(height), fps, quality);
  }

  private async open(): Promise<H264MP4Encoder> {
    const encoder = await this.module.createH264MP4Encoder();
    encoder.outputFilename = `ganvas-${process.pid}-${++fileCount}.mp4`;
    encoder.width = this.width;
    encoder.height = this.height;
    encoder.frameRate = this.fps;
    encoder.quantizationParameter = Math.round(40 - (28 * this.quality) / 100);
    encoder.speed = 5;
    encoder.groupOfPictures = Math.max(1, Math.round(this.fps * 2));
    encoder.initialize();
    return encoder;
  }

  async addFrame(frame: RgbaFrame): Promise<void> {
    this.encoder ??= await this.open();
    this.encoder.addFrameYuv(rgbaToI420(frame));
  }

  /** Finishes the file and frees the encoder; returns the MP4's bytes. */
  finish(): Uint8Array {
    const encoder = this.encoder;
    if (!encoder) throw new Error('A video needs at least one frame');
    encoder.finalize();
    const name = encoder.outputFilename;
    const bytes = encoder.FS.readFile(name);
    encoder.FS.unlink(name);
    encoder.delete();
    this.closed = true;
    return bytes;
  }

  /** Frees the encoder without writing anything (cancel, error). */
  abort(): void {
    const encoder = this.encoder;
    if (this.closed || !encoder) return;
    this.closed = true;
    const name = encoder.outputFilename;
    const fs = encoder.FS;
    // Deleting an encoder that was never finalised aborts the wasm runtime: finalise first.
    encoder.finalize();
    encoder.delete();
    try {
      fs.unlink(name);
    } catch {
      /* no file yet */
    }
  }
}
