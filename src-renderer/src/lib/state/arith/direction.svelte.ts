import type { DirectionResult, GanvasBridge } from '../../api-types';
import { ExportJob, pingPongWalk } from '../export-job.svelte';
import type { Notify } from '../notify';
import { ProjectPart } from '../project-part';
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
export class DirectionState extends ProjectPart {
  a = $state<string | null>(null);
  b = $state<string | null>(null);
  base = $state.raw<DirectionBase | null>(null);
  strength = $state(1.5);
  readonly exporter: ExportJob;
  readonly #preview = this.latest<DirectionResult>();
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(api: GanvasBridge, dir: string, notify: Notify) {
    super(api, dir, notify);
    this.exporter = new ExportJob(api, dir, notify);
  }

  get result(): DirectionResult | null {
    return this.#preview.value;
  }

  get rendering(): boolean {
    return this.#preview.busy;
  }

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
  async preview(): Promise<DirectionResult | undefined> {
    const { a, b, base } = this;
    if (!a || !b || a === b || !base) return undefined;
    const strengths = strengthsTo(this.strength);
    return this.#preview.run(() => this.api.arithDirection({ dir: this.dir, a, b, base: { z: base.z, label: base.label }, strengths }));
  }

  /** Exports the walk base -> base + s * d (played forth and back) as a GIF, where the person chooses. */
  async exportGif(projectName: string, imageSize: number): Promise<void> {
    let result = this.result;
    if (result?.frames.at(-1)?.strength !== strengthsTo(this.strength).at(-1)) result = (await this.preview()) ?? null;
    if (!result) return;
    // The engine's own frames at both ends: no vector arithmetic here.
    const [first, last] = [result.frames[0], result.frames.at(-1)!];
    await this.exporter.run({
      title: 'Export the direction walk as a GIF',
      defaultName: `${projectName}-direction.gif`,
      filters: [{ name: 'GIF animation', extensions: ['gif'] }],
      ...pingPongWalk([first, last], result.label, GIF_FRAMES, 'gif', imageSize),
    });
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.exporter.dispose();
  }
}
