import type { FeatureMaps, ForgetBox, ForgetFit, ForgetRender, ForgetSampleBoxes, InspectLayer, TileGrid } from '../../api-types';
import { DEFAULT_TOP_MAPS, mapsAbove, topMaps } from '../../inspect/forget-pick';
import { attempt, reportFailure } from '../notify';
import { ProjectPart } from '../project-part';

/** Wait this long after the last box change before saving (drawing several boxes saves once). */
const SAVE_DELAY_MS = 400;

/**
 * The Forgetting view (paper Sec. 6.3.1): boxes drawn on generated samples, the logistic
 * regression that picks G's feature maps predicting "inside a box", and the same samples
 * rendered with those (or hand-picked) maps dropped. Boxes are saved in the project.
 */
export class ForgetState extends ProjectPart {
  seed = $state(0);
  count = $state(16);
  /** G's hidden layers, and the one the regression and dropping use. */
  layers = $state.raw<InspectLayer[]>([]);
  layer = $state('');
  imageSize = $state(0);
  threshold = $state(0);
  /** How the fit's maps are picked: the `topCount` heaviest (default) or all above `threshold`. */
  pick = $state<'top' | 'threshold'>('top');
  topCount = $state(DEFAULT_TOP_MAPS);
  /** Boxes on every seed's samples (the fit uses all of them). */
  annotations = $state.raw<ForgetSampleBoxes[]>([]);
  /** Tile of the current seed whose boxes the form edits. */
  selectedTile = $state(0);
  /** Maps to drop: the fit's selection, then edited by hand. */
  drop = $state.raw<number[]>([]);
  readonly fit = this.latest<ForgetFit>();
  readonly render = this.latest<ForgetRender>();
  /** The selected sample's activations in every G layer (the Feature maps view's request): map thumbnails. */
  readonly sampleMaps = this.latest<FeatureMaps>();
  #saveTimer: ReturnType<typeof setTimeout> | null = null;

  get channels(): number {
    return this.layers.find((l) => l.name === this.layer)?.outChannels ?? 0;
  }

  /** The chosen layer's maps for the selected sample, one tile per channel (null until loaded). */
  get layerMaps(): TileGrid | null {
    return this.sampleMaps.value?.G?.find((l) => l.layer === this.layer)?.grid ?? null;
  }

  get boxCount(): number {
    return this.annotations.reduce((a, s) => a + s.boxes.length, 0);
  }

  /** G's layers and the saved boxes, then the samples to draw on. */
  protected override async firstLoad(): Promise<void> {
    try {
      const [layers, saved] = await Promise.all([this.api.inspectLayers({ dir: this.dir }), this.api.forgetAnnotations({ dir: this.dir })]);
      this.layers = layers.G.slice(0, -1);
      this.layer = saved.layer && this.layers.some((l) => l.name === saved.layer) ? saved.layer : layers.forgetLayer;
      this.imageSize = layers.G.at(-1)!.outSize;
      this.annotations = saved.samples;
      if (saved.samples.length) this.seed = saved.samples[0].seed;
    } catch (error) {
      reportFailure(this.notify, error);
      return;
    }
    await Promise.all([this.show(), this.showMaps()]);
  }

  boxesOf(index: number): ForgetBox[] {
    return this.annotations.find((s) => s.seed === this.seed && s.index === index)?.boxes ?? [];
  }

  addBox(index: number, box: ForgetBox): void {
    const size = this.imageSize;
    const clamp = (v: number) => Math.max(0, Math.min(size, Math.round(v)));
    const b = {
      x0: clamp(Math.min(box.x0, box.x1)),
      y0: clamp(Math.min(box.y0, box.y1)),
      x1: clamp(Math.max(box.x0, box.x1)),
      y1: clamp(Math.max(box.y0, box.y1)),
    };
    if (b.x1 <= b.x0 || b.y1 <= b.y0) return;
    this.#setBoxes(index, [...this.boxesOf(index), b]);
  }

  removeBox(index: number, which: number): void {
    this.#setBoxes(
      index,
      this.boxesOf(index).filter((_, i) => i !== which),
    );
  }

  clearBoxes(): void {
    this.annotations = [];
    this.#queueSave();
  }

  async newSamples(seed: number): Promise<void> {
    this.seed = seed;
    this.selectedTile = 0;
    await Promise.all([this.show(), this.showMaps()]);
  }

  /** Selects the sample the box form edits; the map thumbnails follow it. */
  selectTile(index: number): Promise<void> {
    if (index === this.selectedTile) return Promise.resolve();
    this.selectedTile = index;
    return this.showMaps();
  }

  /** One request gives every G layer's maps, so changing the layer or the dropped maps needs none. */
  async showMaps(): Promise<void> {
    await this.sampleMaps.run(() =>
      this.api.inspectFeatures({ dir: this.dir, source: { kind: 'generated', seed: this.seed, index: this.selectedTile } }),
    );
  }

  setLayer(layer: string): Promise<void> {
    this.layer = layer;
    this.drop = [];
    this.fit.clear();
    this.#queueSave();
    return this.show();
  }

  toggleMap(channel: number): Promise<void> {
    this.drop = this.drop.includes(channel) ? this.drop.filter((c) => c !== channel) : [...this.drop, channel].sort((a, b) => a - b);
    return this.show();
  }

  clearDrop(): Promise<void> {
    this.drop = [];
    return this.show();
  }

  /** Fits the regression on all boxes, drops the maps it selects and renders. */
  async findMaps(): Promise<void> {
    const fit = await this.fit.run(() =>
      this.api.forgetFit({ dir: this.dir, layer: this.layer, samples: this.annotations, threshold: this.threshold }),
    );
    if (!fit) return;
    this.drop = this.#picked(fit);
    await this.show();
  }

  /** Drops the `count` heaviest maps of the last fit (without fitting again). */
  applyTop(count: number): Promise<void> {
    this.pick = 'top';
    this.topCount = count;
    return this.#repick();
  }

  #picked(fit: ForgetFit): number[] {
    return this.pick === 'top' ? topMaps(fit.weights, this.topCount) : mapsAbove(fit.weights, this.threshold);
  }

  /** Re-selects from the last fit at a new threshold, without fitting again. */
  applyThreshold(threshold: number): Promise<void> {
    this.threshold = threshold;
    this.pick = 'threshold';
    return this.#repick();
  }

  /** Picks the maps again from the last fit under the current rule (no new fit). */
  #repick(): Promise<void> {
    const fit = this.fit.value;
    if (!fit) return Promise.resolve();
    this.drop = this.#picked(fit);
    return this.show();
  }

  /** The current seed's samples, unchanged and with `drop` zeroed. */
  async show(): Promise<void> {
    if (!this.layer) return;
    await this.render.run(() =>
      this.api.forgetRender({ dir: this.dir, layer: this.layer, drop: this.drop, seed: this.seed, count: this.count }),
    );
  }

  dispose(): void {
    if (this.#saveTimer) {
      clearTimeout(this.#saveTimer);
      void this.#save();
    }
  }

  #setBoxes(index: number, boxes: ForgetBox[]): void {
    const others = this.annotations.filter((s) => !(s.seed === this.seed && s.index === index));
    this.annotations = boxes.length ? [...others, { seed: this.seed, index, boxes }] : others;
    this.#queueSave();
  }

  #queueSave(): void {
    if (this.#saveTimer) clearTimeout(this.#saveTimer);
    this.#saveTimer = setTimeout(() => {
      this.#saveTimer = null;
      void this.#save();
    }, SAVE_DELAY_MS);
  }

  #save(): Promise<void> {
    return attempt(this.notify, async () => {
      const annotations = { version: 1 as const, layer: this.layer || null, samples: this.annotations };
      await this.api.saveForgetAnnotations({ dir: this.dir, annotations });
    });
  }
}
