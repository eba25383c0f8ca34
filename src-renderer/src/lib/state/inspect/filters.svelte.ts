import type { FilterImage, FilterNorm, InspectLayer, InspectLayers } from '../../api-types';
import { ProjectPart } from '../project-part';

/** Kernels per page of a matrix layer (the engine's default page). */
export const FILTER_PAGE = 64;

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
  /** Shown on screen: only then does it follow training. */
  #active = false;
  readonly #watch = this.watchCheckpoints(
    () => this.#active,
    (newest) => {
      if (newest > (this.image.value?.step ?? -1) && !this.image.busy) void this.show();
    },
  );

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
    if (active && !wasActive && this.image.value) this.#watch.check();
  }

  dispose(): void {
    this.#watch.dispose();
  }
}
