import type { GanvasBridge, WalkPlan, WalkSpec } from '../../api-types';
import { Latest } from '../latest.svelte';
import type { Notify } from '../notify';
import { renderBatches } from '../render-batches';

/** Frames per render call: the first frames show after one short call, and the worker stays free for others between calls. */
const RENDER_BATCH = 16;

/** A walk's frames: planned by the engine, then rendered in batches; a newer build wins. */
export class WalkFrames {
  plan = $state.raw<WalkPlan | null>(null);
  /** The spec the frames came from (exports use it, so they match what plays). */
  spec = $state.raw<WalkSpec | null>(null);
  /** PNG data URL per planned frame; null until rendered. */
  urls = $state.raw<(string | null)[]>([]);
  rendered = $state(0);
  readonly #build: Latest<WalkPlan>;

  constructor(
    private readonly api: GanvasBridge,
    private readonly dir: string,
    notify: Notify,
  ) {
    this.#build = new Latest(notify);
  }

  get building(): boolean {
    return this.#build.busy;
  }

  /** Plans `spec` and renders its frames; `onFirstBatch` runs once the first frames are shown. */
  build(spec: WalkSpec, onFirstBatch: () => void): Promise<WalkPlan | undefined> {
    return this.#build.run(async (current) => {
      const plan = await this.api.walkPlan({ dir: this.dir, spec });
      if (!current()) return plan;
      this.plan = plan;
      this.spec = spec;
      this.urls = plan.frames.map(() => null);
      this.rendered = 0;
      for await (const { start, urls } of renderBatches(this.api, this.dir, plan.frames, RENDER_BATCH)) {
        if (!current()) break;
        const next = [...this.urls];
        urls.forEach((url, i) => (next[start + i] = url));
        this.urls = next;
        this.rendered = start + urls.length;
        if (start === 0) onFirstBatch();
      }
      return plan;
    });
  }

  /** Stops a build in progress (its batches are dropped). */
  stop(): void {
    this.#build.clear();
  }
}
