import { playbackOrder } from '$shared/playback';
import type { WalkFrames } from './walk-frames.svelte';

/**
 * Plays a walk's frames: play/pause, scrub, step, fps and ping-pong. It loops, as the exported
 * GIF does, and waits at a frame still rendering rather than showing a gap.
 */
export class WalkPlayer {
  playing = $state(false);
  /** Index into `order`. */
  position = $state(0);
  fps = $state(12);
  pingPong = $state(false);
  /** Frame indices in playing order (forwards, then back when ping-pong). */
  readonly order: number[];
  #raf = 0;
  #lastTick = 0;
  #carry = 0;

  constructor(private readonly frames: WalkFrames) {
    this.order = $derived(playbackOrder(frames.urls.length, this.pingPong));
  }

  get frameIndex(): number {
    return this.order[Math.min(this.position, this.order.length - 1)] ?? 0;
  }

  get currentUrl(): string | null {
    return this.frames.urls[this.frameIndex] ?? null;
  }

  play(): void {
    if (this.playing || this.frames.urls.length < 2) return;
    this.playing = true;
    this.#lastTick = performance.now();
    this.#carry = 0;
    this.#raf = requestAnimationFrame((t) => this.#tick(t));
  }

  pause(): void {
    this.playing = false;
    cancelAnimationFrame(this.#raf);
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  /** Shows position `p` of the playback order (the scrubber). */
  seek(p: number): void {
    this.position = Math.max(0, Math.min(this.order.length - 1, Math.round(p)));
  }

  stepBy(delta: number): void {
    this.pause();
    const n = this.order.length;
    if (n > 0) this.position = (((this.position + delta) % n) + n) % n;
  }

  setPingPong(on: boolean): void {
    const frame = this.frameIndex;
    this.pingPong = on;
    this.position = Math.max(0, this.order.indexOf(frame));
  }

  #tick(now: number): void {
    if (!this.playing) return;
    this.#carry += ((now - this.#lastTick) / 1000) * this.fps;
    this.#lastTick = now;
    while (this.#carry >= 1) {
      this.#carry -= 1;
      const next = this.position >= this.order.length - 1 ? 0 : this.position + 1;
      // Frames still rendering: hold here rather than show a gap (playback catches up by itself).
      if (this.frames.urls[this.order[next]] === null) {
        this.#carry = 0;
        break;
      }
      this.position = next;
    }
    this.#raf = requestAnimationFrame((t) => this.#tick(t));
  }
}
