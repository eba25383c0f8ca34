/**
 * WebM (VP8 or VP9) in Node with libav.js (FFmpeg's libavcodec + libavformat and libvpx compiled
 * to WebAssembly; the `webm-vp9` variant, LGPL-2.1 with BSD libvpx). It runs synchronously in
 * this process ("direct" mode: Node has no Web Workers), so encoding never needs a download, a
 * native binary or a helper process. The muxer writes into libav.js's in-memory file system.
 *
 * VP8 is the default: single-threaded wasm VP9 encodes 2-3x slower (a 968x484 timelapse frame
 * took ~0.3 s), and every player that opens WebM plays both.
 */
import LibAVWrapper from '@libav.js/variant-webm-vp9';
import { evenSize, rgbaToI420, type RgbaFrame } from './frames';

type LibAV = Awaited<ReturnType<typeof LibAVWrapper.LibAV>>;

let fileCount = 0;

export type WebmCodec = 'vp8' | 'vp9';

export class WebmWriter {
  private frames = 0;
  private finished = false;

  private constructor(
    readonly codec: WebmCodec,
    private readonly libav: LibAV,
    private readonly handles: { c: number; frame: number; pkt: number; oc: number; pb: number; file: string },
    readonly width: number,
    readonly height: number,
    private readonly fps: number,
  ) {}

  /** @param quality 0 (smallest) .. 100 (best); mapped to libvpx's crf 50..10. */
  static async create(width: number, height: number, fps: number, quality: number, codec: WebmCodec = 'vp8'): Promise<WebmWriter> {
    const libav = await LibAVWrapper.LibAV({ noworker: true });
    const W = evenSize(width);
    const H = evenSize(height);
    try {
      const crf = Math.round(50 - (40 * quality) / 100);
      const [, c, frame, pkt] = await libav.ff_init_encoder(codec === 'vp9' ? 'libvpx-vp9' : 'libvpx', {
        // VP9: constant quality (bit rate 0 + crf). VP8: crf caps quality under a generous bit rate ceiling.
        ctx: {
          width: W,
          height: H,
          pix_fmt: libav.AV_PIX_FMT_YUV420P,
          framerate_num: fps,
          framerate_den: 1,
          bit_rate: codec === 'vp9' ? 0 : Math.max(500_000, W * H * fps * 2),
          gop_size: Math.max(1, fps * 2),
        },
        time_base: [1, fps],
        // 'realtime' at cpu-used 8: several times faster than 'good', and these frames are small and simple.
        options: { crf: String(crf), deadline: 'realtime', 'cpu-used': '8' },
      });
      const file = `ganvas-${process.pid}-${++fileCount}.webm`;
      const [oc, , pb] = await libav.ff_init_muxer({ format_name: 'webm', filename: file, open: true }, [[c, 1, fps]]);
      await libav.avformat_write_header(oc, 0);
      return new WebmWriter(codec, libav, { c, frame, pkt, oc, pb, file }, W, H, fps);
    } catch (err) {
      libav.terminate();
      throw err;
    }
  }

  async addFrame(frame: RgbaFrame): Promise<void> {
    const { libav, handles: h, width: W, height: H } = this;
    const data = rgbaToI420(frame);
    const planeY = W * H;
    const planeC = (W / 2) * (H / 2);
    const packets = await libav.ff_encode_multi(h.c, h.frame, h.pkt, [
      {
        data,
        format: libav.AV_PIX_FMT_YUV420P,
        width: W,
        height: H,
        pts: this.frames,
        time_base_num: 1,
        time_base_den: this.fps,
        layout: [
          { offset: 0, stride: W },
          { offset: planeY, stride: W / 2 },
          { offset: planeY + planeC, stride: W / 2 },
        ],
      },
    ]);
    if (packets.length) await libav.ff_write_multi(h.oc, h.pkt, packets);
    this.frames++;
  }

  /** Flushes the encoder, writes the trailer and frees everything; returns the WebM's bytes. */
  async finish(): Promise<Uint8Array> {
    if (this.frames === 0) {
      await this.abort();
      throw new Error('A video needs at least one frame');
    }
    const { libav, handles: h } = this;
    try {
      const last = await libav.ff_encode_multi(h.c, h.frame, h.pkt, [], true);
      await libav.ff_write_multi(h.oc, h.pkt, last);
      await libav.av_write_trailer(h.oc);
      await libav.ff_free_muxer(h.oc, h.pb);
      await libav.ff_free_encoder(h.c, h.frame, h.pkt);
      this.finished = true;
      const bytes = await libav.readFile(h.file);
      await libav.unlink(h.file);
      return bytes;
    } finally {
      libav.terminate();
    }
  }

  /** Frees the encoder without producing a file (cancel, error). */
  async abort(): Promise<void> {
    if (!this.finished) {
      const { libav, handles: h } = this;
      try {
        await libav.ff_free_muxer(h.oc, h.pb);
        await libav.ff_free_encoder(h.c, h.frame, h.pkt);
      } finally {
        libav.terminate();
      }
      this.finished = true;
    }
  }
}
