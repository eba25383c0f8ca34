/**
 * One walk export, done in small steps (render 16 frames, encode 8 frames, write) so the caller
 * can report progress and cancel between steps: the worker task and the CLI drive the same class.
 * GIF, MP4 (H.264) and WebM (VP8) encode frame by frame; a cancelled export calls abort() and
 * writes nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { invalid, notFound } from '../../../shared/errors';
import { playbackOrder } from '../../../shared/playback';
import type { ModelConfig, WalkExportOptions, WalkExportResult, WalkSpec } from '../../../shared/types';
import { writeFileAtomic } from '../../project/atomic';
import { encodePng } from '../../sampling/grid';
import type { PlannedFrame, PlannedWalk } from '../plan';
import { RENDER_CHUNK } from '../render';
import { createVideoWriter, type VideoWriter } from '../../video/encode';
import { toRgbaFrame } from '../../video/frames';
import { GifWriter, globalPalette } from './gif';
import { bytesToGrid, frameBytes } from './pixels';

const ENCODE_CHUNK = 8;

/**
 * Most output pixels one export may produce (frames x width x height): ~2 GiB of RGBA, beyond
 * which an export would exhaust memory long before it finished. 4,096 frames of a 128 px model
 * at 2x fit; 4,096 frames at 16x do not.
 */
export const MAX_EXPORT_PIXELS = 512 * 1024 * 1024;

export interface ExportSource {
  model: ModelConfig;
  projectName: string;
  /** Checkpoint step the frames come from. */
  step: number;
  /** G on frames -> NHWC floats in [-1, 1]. */
  render(frames: PlannedFrame[]): Float32Array | Promise<Float32Array>;
}

export interface ExportStepResult {
  phase: 'render' | 'encode';
  done: number;
  total: number;
  /** Set once the file is written. */
  result?: WalkExportResult;
}

export { playbackOrder };

/** The z JSON of a walk: every frame as played, with what it takes to reproduce it. */
export function walkJson(
  source: Pick<ExportSource, 'projectName' | 'step'>,
  spec: WalkSpec,
  planned: PlannedWalk,
  opts: Pick<WalkExportOptions, 'fps' | 'pingPong'>,
) {
  const order = playbackOrder(planned.frames.length, opts.pingPong ?? false);
  return {
    format: 'ganvas-walk',
    version: 1,
    project: source.projectName,
    step: source.step,
    fps: opts.fps,
    pingPong: opts.pingPong ?? false,
    spec,
    keyFrames: planned.keyFrames,
    frames: order.map((i) => ({
      z: Array.from(planned.frames[i].z),
      label: planned.frames[i].label ? Array.from(planned.frames[i].label!) : null,
    })),
  };
}

export class WalkExport {
  private readonly order: number[];
  private readonly bytes: Uint8Array[] = [];
  private gif: GifWriter | null = null;
  private video: VideoWriter | null = null;
  private encoded = 0;
  private readonly started = performance.now();

  constructor(
    private readonly source: ExportSource,
    private readonly spec: WalkSpec,
    private readonly planned: PlannedWalk,
    private readonly opts: WalkExportOptions,
  ) {
    const dir = path.dirname(opts.out);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
      throw notFound(`Cannot export to ${opts.out}: folder ${dir} does not exist`);
    this.order = playbackOrder(planned.frames.length, opts.pingPong ?? false);
    const side = source.model.size * opts.scale;
    const pixels = opts.format === 'json' ? 0 : this.order.length * side * side;
    if (pixels > MAX_EXPORT_PIXELS) {
      throw invalid(
        `This export would be ${this.order.length} frames of ${side}x${side} px (${Math.round(pixels / 1e6)} megapixels, the most is ` +
          `${Math.round(MAX_EXPORT_PIXELS / 1e6)}): lower the scale or the number of frames`,
      );
    }
  }

  /** Work units: frames to render plus frames to encode (one unit for a JSON file). */
  get total(): number {
    if (this.opts.format === 'json') return 1;
    return this.planned.frames.length + this.order.length;
  }

  private get done(): number {
    return this.bytes.length + this.encoded;
  }

  /** Does the next piece of work; the last call writes the file and returns its result. */
  async step(): Promise<ExportStepResult> {
    const { model } = this.source;
    if (this.opts.format === 'json') {
      return {
        phase: 'encode',
        done: 1,
        total: 1,
        result: this.write(JSON.stringify(walkJson(this.source, this.spec, this.planned, this.opts)), 0, 0),
      };
    }
    if (this.bytes.length < this.planned.frames.length) {
      const part = this.planned.frames.slice(this.bytes.length, this.bytes.length + RENDER_CHUNK);
      const images = await this.source.render(part);
      for (let i = 0; i < part.length; i++) this.bytes.push(frameBytes(images, i, model.size, model.channels));
      return { phase: 'render', done: this.done, total: this.total };
    }
    if (this.opts.format === 'gif') return this.encodeGif();
    if (this.opts.format === 'mp4' || this.opts.format === 'webm') return this.encodeVideo(this.opts.format);
    return this.encodePng();
  }

  /** Frees a video encoder of an export that will not finish (cancelled, failed). */
  async abort(): Promise<void> {
    const video = this.video;
    this.video = null;
    await video?.abort();
  }

  private async encodeVideo(format: 'mp4' | 'webm'): Promise<ExportStepResult> {
    const { model } = this.source;
    const { scale, fps } = this.opts;
    const side = model.size * scale;
    // Video players assume at least a few frames a second; the walk's fps is 1..50 already.
    this.video ??= await createVideoWriter(format, side, side, Math.min(60, Math.round(fps)));
    const end = Math.min(this.order.length, this.encoded + ENCODE_CHUNK);
    for (; this.encoded < end; this.encoded++)
      await this.video.addFrame(toRgbaFrame(this.bytes[this.order[this.encoded]], model.size, model.size, model.channels, scale));
    if (this.encoded < this.order.length) return { phase: 'encode', done: this.done, total: this.total };
    const video = this.video;
    this.video = null;
    const data = await video.finish();
    return { phase: 'encode', done: this.done, total: this.total, result: this.write(data, video.width, video.height) };
  }

  private encodeGif(): ExportStepResult {
    const { model } = this.source;
    this.gif ??= new GifWriter({
      width: model.size,
      height: model.size,
      channels: model.channels,
      scale: this.opts.scale,
      fps: this.opts.fps,
      palette: globalPalette(this.bytes, model.channels),
    });
    const end = Math.min(this.order.length, this.encoded + ENCODE_CHUNK);
    for (; this.encoded < end; this.encoded++) this.gif.addFrame(this.bytes[this.order[this.encoded]]);
    if (this.encoded < this.order.length) return { phase: 'encode', done: this.done, total: this.total };
    return { phase: 'encode', done: this.done, total: this.total, result: this.write(this.gif.finish(), this.gif.width, this.gif.height) };
  }

  private async encodePng(): Promise<ExportStepResult> {
    const { model } = this.source;
    const frames = this.order.map((i) => this.bytes[i]);
    const cols = this.opts.format === 'png-strip' ? frames.length : (this.opts.cols ?? Math.ceil(Math.sqrt(frames.length)));
    const grid = bytesToGrid(frames, model.size, model.channels, Math.min(cols, frames.length));
    const png = await encodePng(grid, this.opts.scale);
    this.encoded = this.order.length;
    const result = this.write(png, grid.width * this.opts.scale, grid.height * this.opts.scale);
    return { phase: 'encode', done: this.done, total: this.total, result };
  }

  private write(data: Uint8Array | string, width: number, height: number): WalkExportResult {
    writeFileAtomic(this.opts.out, data);
    return {
      file: this.opts.out,
      format: this.opts.format,
      frames: this.order.length,
      width,
      height,
      bytes: typeof data === 'string' ? Buffer.byteLength(data) : data.length,
      seconds: +((performance.now() - this.started) / 1000).toFixed(3),
    };
  }
}
