import type { GanvasBridge, SampleGridInfo } from '../../api-types';
import { pngUrl } from '../../images';
import { ImageExport } from '../image-export.svelte';
import { Latest } from '../latest.svelte';
import type { Notify } from '../notify';

/** Decoded grids kept in memory: scrubbing back and forth re-fetches nothing. */
const CACHE_SIZE = 48;

export interface ShownGrid {
  step: number;
  /** The PNG as the engine sent it (base64), and as the page shows it. */
  png: string;
  url: string;
}

/**
 * The fixed-noise sample grids training saves: the list, the one the scrubber points at (or
 * the newest, followed as training writes new ones), and its image.
 */
export class SampleGrids {
  list = $state.raw<SampleGridInfo[]>([]);
  /** Step of the grid the scrubber points at; null follows the newest grid. */
  pinnedStep = $state<number | null>(null);
  readonly exporter: ImageExport;
  readonly #shown: Latest<ShownGrid>;
  // A plain cache of decoded grids: nothing renders from it directly, so it need not be reactive.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #images = new Map<number, string>(); // step -> PNG base64

  constructor(
    private readonly api: GanvasBridge,
    private readonly dir: string,
    notify: Notify,
  ) {
    this.#shown = new Latest(notify);
    this.exporter = new ImageExport(api, notify);
  }

  get shown(): ShownGrid | null {
    return this.#shown.value;
  }

  /** The step the view shows: the pinned one, else the newest. */
  get displayedStep(): number | null {
    return this.pinnedStep ?? this.list.at(-1)?.step ?? null;
  }

  get following(): boolean {
    return this.pinnedStep === null;
  }

  /** Replaces the list (opening a project, rolling back) and shows its newest grid. */
  reset(list: SampleGridInfo[]): Promise<void> {
    this.list = list;
    this.pinnedStep = null;
    this.#images.clear();
    return this.show();
  }

  /** A grid training just wrote: shown at once unless the scrubber is pinned elsewhere. */
  add(grid: SampleGridInfo): void {
    this.list = [...this.list.filter((known) => known.step !== grid.step), grid].sort((a, b) => a.step - b.step);
    if (this.following) void this.show();
  }

  /** Pins the scrubber to `step`; null (or the newest step) follows new grids again. */
  select(step: number | null): void {
    this.pinnedStep = step === this.list.at(-1)?.step ? null : step;
    void this.show();
  }

  /** Fetches the displayed grid; a newer request (scrubbing fast, a new grid arriving) wins. */
  async show(): Promise<void> {
    const step = this.displayedStep;
    if (step === null) return this.#shown.clear();
    await this.#shown.run(async () => {
      const png = this.#images.get(step) ?? (await this.#fetch(step));
      return { step, png, url: pngUrl(png) };
    });
  }

  /** Saves the shown grid as a PNG where the person chooses (File › Export Sample Grid…, or the button). */
  exportShown(projectName: string): Promise<void> {
    const grid = this.shown;
    if (!grid) return Promise.resolve();
    return this.exporter.save('Export the sample grid', `${projectName}-step-${grid.step}.png`, grid.png);
  }

  async #fetch(step: number): Promise<string> {
    const png = await this.api.sampleGridImage({ dir: this.dir, step });
    this.#images.set(step, png);
    if (this.#images.size > CACHE_SIZE) this.#images.delete(this.#images.keys().next().value!);
    return png;
  }
}
