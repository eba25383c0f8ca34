import { readableMessage as message } from '$shared/errors';
import type { DirectionResult, ExportProgress, GanvasBridge } from '../api-types';
import type { MemberSource } from './arith.svelte';

/** Frames of the preview strip, from the base (strength 0) to the chosen strength. */
export const DIRECTION_STEPS = 7;
/** Frames per GIF segment: smooth at 12 fps, small enough to export in a couple of seconds. */
const GIF_FRAMES = 24;

export interface DirectionBase extends MemberSource {
  name: string;
  url: string | null;
}

/** `n` evenly spaced strengths from 0 to `to`. */
export function strengthsTo(to: number, n = DIRECTION_STEPS): number[] {
  return Array.from({ length: n }, (_, i) => Number(((to * i) / (n - 1)).toFixed(4)));
}

/**
 * A direction vector d = mean(A) - mean(B) (the paper's Fig. 8 "turn" vector) applied to a base
 * sample: base + s * d for a strength slider s, previewed as a strip and exported as a GIF walk
 * through the walk exporter.
 */
export class DirectionState {
  a = $state<string | null>(null);
  b = $state<string | null>(null);
  base = $state.raw<DirectionBase | null>(null);
  strength = $state(1.5);
  result = $state.raw<DirectionResult | null>(null);
  rendering = $state(false);
  exporting = $state.raw<ExportProgress | null>(null);
  #request = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly api: GanvasBridge,
    readonly dir: string,
    private readonly reportError: (message: string) => void,
    private readonly reportInfo: (message: string) => void,
  ) {}

  get ready(): boolean {
    return !!(this.a && this.b && this.a !== this.b && this.base);
  }

  setBase(base: DirectionBase): void {
    this.base = base;
    void this.preview();
  }

  setStrength(strength: number): void {
    this.strength = strength;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.preview(), 120);
  }

  /** Renders base + s * d for s from 0 to the strength; newer requests win. */
  async preview(): Promise<void> {
    if (!this.ready) return;
    const request = ++this.#request;
    this.rendering = true;
    try {
      const result = await this.api.arithDirection({
        dir: this.dir,
        a: this.a!,
        b: this.b!,
        base: { z: this.base!.z, label: this.base!.label },
        strengths: strengthsTo(this.strength),
      });
      if (request === this.#request) this.result = result;
    } catch (error) {
      if (request === this.#request) this.reportError(message(error));
    } finally {
      if (request === this.#request) this.rendering = false;
    }
  }

  /** Exports the walk base -> base + s * d (played forth and back) as a GIF, where the user chooses. */
  async exportGif(projectName: string, imageSize: number): Promise<void> {
    if (!this.ready) return;
    if (!this.result) await this.preview();
    const result = this.result;
    const base = this.base!;
    if (!result) return;
    const out = await this.api.chooseSaveFile({
      title: 'Export the direction walk as a GIF',
      defaultName: `${projectName}-direction.gif`,
      filters: [{ name: 'GIF animation', extensions: ['gif'] }],
    });
    if (!out) return;
    const id = `direction-${Date.now()}`;
    const end = base.z.map((v, i) => v + this.strength * result.direction[i]);
    this.exporting = { id, phase: 'render', done: 0, total: 1, file: out };
    const off = this.api.on('export.progress', (p) => {
      if (p.id === id) this.exporting = p;
    });
    try {
      const written = await this.api.exportWalk({
        dir: this.dir,
        id,
        spec: {
          kind: 'path',
          mode: 'linear',
          framesPerSegment: GIF_FRAMES,
          endpoints: [
            { kind: 'z', z: base.z, label: base.label },
            { kind: 'z', z: end, label: base.label },
          ],
        },
        // Upscaled so a 28px digit is visible in an image viewer; 64px faces need less.
        options: { format: 'gif', out, fps: 12, scale: imageSize <= 32 ? 4 : 2, pingPong: true },
      });
      this.reportInfo(`Saved ${written.frames} frames to ${written.file}`);
    } catch (error) {
      this.reportError(message(error));
    } finally {
      off();
      this.exporting = null;
    }
  }

  async cancelExport(): Promise<void> {
    if (this.exporting) await this.api.cancelExport({ id: this.exporting.id });
  }
}
