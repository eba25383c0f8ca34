import type { FilterImage, FilterNorm, GanvasBridge, InspectLayer, InspectLayers } from '../../api-types';
import type { Notify } from '../notify';
import { ProjectPart } from '../project-part';

/** Kernels per page of a matrix layer (the engine's default page). */
export const FILTER_PAGE = 64;
/** At most one checkpoint check per this many ms while training streams events. */
const REFRESH_MS = 2000;

/**
 * The Filters view: one layer's kernels, re-read when training writes a newer checkpoint while
 * the view is open (the weights live in checkpoints, so that is when they change on disk).
 */
export class FiltersState extends ProjectPart {
  layers = $state.raw<InspectLayers | null>(null);
  layer = $state('d1');
  norm = $state<FilterNorm>('tile');
  outStart = $state(0);
  inStart = $state(0);
  readonly image = this.latest<FilterImage>();
  #unsubscribe: (() => void)[] = [];
  #timer: ReturnType<typeof setTimeout> | null = null;
  #lastCheck = 0;
  /** Shown on screen: only then does it follow training. */
  #active = false;

  constructor(api: GanvasBridge, dir: string, notify: Notify) {
    super(api, dir, notify);
    const onTraining = (dir: string) => dir === this.dir && this.#scheduleCheck();
    this.#unsubscribe = [api.on('training.metrics', ({ dir }) => onTraining(dir)), api.on('training.status', ({ dir }) => onTraining(dir))];
  }

  /** Layers with kernels: D's from the image side, then G's. */
  get choices(): InspectLayer[] {
    return this.layers ? [...this.layers.D, ...this.layers.G].filter((l) => l.hasFilters) : [];
  }

  get current(): InspectLayer | undefined {
    return this.choices.find((l) => l.name === this.layer);
  }

  /** The layers, and the first layer's kernels. */
  protected override async firstLoad(): Promise<void> {
    this.layers = await this.api.inspectLayers({ dir: this.dir }).catch(() => null);
    await this.show();
  }

  select(layer: string): Promise<void> {
    this.layer = layer;
    this.outStart = 0;
    this.inStart = 0;
    return this.show();
  }

  setNorm(norm: FilterNorm): Promise<void> {
    this.norm = norm;
    return this.show();
  }

  /** Pages a matrix layer by FILTER_PAGE channels (`which` = rows or columns). */
  page(which: 'out' | 'in', delta: number): Promise<void> {
    const layer = this.current;
    if (!layer) return Promise.resolve();
    const total = which === 'out' ? layer.outChannels : layer.inChannels;
    const next = Math.max(0, Math.min(total - 1, (which === 'out' ? this.outStart : this.inStart) + delta * FILTER_PAGE));
    if (which === 'out') this.outStart = next - (next % FILTER_PAGE);
    else this.inStart = next - (next % FILTER_PAGE);
    return this.show();
  }

  async show(): Promise<void> {
    await this.image.run(() =>
      this.api.inspectFilters({
        dir: this.dir,
        layer: this.layer,
        norm: this.norm,
        outStart: this.outStart,
        inStart: this.inStart,
        maxOut: FILTER_PAGE,
        maxIn: FILTER_PAGE,
      }),
    );
  }

  /** Only a shown view follows training; shown again, it catches up with the newest checkpoint. */
  setActive(active: boolean): void {
    const wasActive = this.#active;
    this.#active = active;
    if (active && !wasActive && this.image.value) this.#scheduleCheck();
  }

  dispose(): void {
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
    if (this.#timer) clearTimeout(this.#timer);
  }

  /** Throttled, with a trailing check so the final checkpoint of a run is always picked up. */
  #scheduleCheck(): void {
    if (this.#timer || !this.#active) return;
    const wait = Math.max(0, this.#lastCheck + REFRESH_MS - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#lastCheck = Date.now();
      void this.#refreshIfNewer();
    }, wait);
  }

  async #refreshIfNewer(): Promise<void> {
    const shown = this.image.value?.step ?? -1;
    const checkpoints = await this.api.checkpoints({ dir: this.dir }).catch(() => []);
    const newest = checkpoints.reduce((a, c) => Math.max(a, c.step), 0);
    if (newest > shown && !this.image.busy) await this.show();
  }
}
