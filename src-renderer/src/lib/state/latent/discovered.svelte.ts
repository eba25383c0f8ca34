import type { AnimationFormat, DirectionFrames, DirectionsResult, GanvasBridge, SavedDirection } from '../../api-types';
import { animationDialog } from '../../export-formats';
import { AnalysisJob } from '../analysis-job.svelte';
import type { DirectionBase } from '../arith/direction.svelte';
import { ExportJob, pingPongWalk } from '../export-job.svelte';
import { attempt, type Notify } from '../notify';
import { ProjectPart } from '../project-part';
import { DirectionSheet } from './direction-sheet.svelte';

/** Slider range in prior standard deviations: the projection of z ~ N(0, I) on a unit vector has SD 1. */
export const SLIDER_SPAN = 4;
/** Frames per half of an exported sweep (base - span ... base + span). */
const SWEEP_FRAMES = 16;

/**
 * Discovered directions (GANSpace) in the app: the discovery job, one slider per direction over
 * a chosen base sample with a live preview (newest request wins), saving a direction in the
 * project (directions.json, where it keeps a slider of its own), and a direction exported as a walk.
 */
export class DiscoveredState extends ProjectPart {
  count = $state(10);
  samples = $state(2000);
  result = $state.raw<DirectionsResult | null>(null);
  base = $state.raw<DirectionBase | null>(null);
  /** One amount per discovered direction, in prior standard deviations. */
  amounts = $state<number[]>([]);
  saved = $state.raw<SavedDirection[]>([]);
  /** Saved directions' amounts by id: they move the base too, beside the discovered ones. */
  savedAmounts = $state<Record<string, number>>({});
  readonly job: AnalysisJob<DirectionsResult>;
  readonly exporter: ExportJob;
  /** One row per direction, from -span to +span around the base. */
  readonly sheet: DirectionSheet;
  readonly #preview = this.latest<DirectionFrames>();
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(api: GanvasBridge, dir: string, notify: Notify) {
    super(api, dir, notify);
    this.job = new AnalysisJob(api, notify, 'Direction discovery cancelled.');
    this.exporter = new ExportJob(api, dir, notify);
    this.sheet = new DirectionSheet(api, dir, notify);
  }

  protected override async firstLoad(): Promise<void> {
    await this.refreshSaved();
  }

  get preview(): DirectionFrames | null {
    return this.#preview.value;
  }

  get rendering(): boolean {
    return this.#preview.busy;
  }

  refreshSaved(): Promise<void> {
    return attempt(this.notify, async () => {
      this.saved = await this.api.directionList({ dir: this.dir });
    });
  }

  async discover(): Promise<void> {
    const { count, samples } = this;
    const result = await this.job.run((id) => this.api.directionsDiscover({ dir: this.dir, count, samples, id }));
    if (!result) return;
    this.result = result;
    this.amounts = result.directions.map(() => 0);
    void this.render();
    this.#redrawSheet();
  }

  setBase(base: DirectionBase): void {
    this.base = base;
    void this.render();
    this.#redrawSheet();
  }

  setAmount(index: number, amount: number): void {
    this.amounts[index] = amount;
    this.#renderSoon();
  }

  /** The amount of saved direction `id` (0 when untouched). */
  savedAmount(id: string): number {
    return this.savedAmounts[id] ?? 0;
  }

  setSavedAmount(id: string, amount: number): void {
    this.savedAmounts[id] = amount;
    this.#renderSoon();
  }

  reset(): void {
    this.amounts = this.amounts.map(() => 0);
    this.savedAmounts = {};
    void this.render();
  }

  /** The sheet of every direction shown (discovered, then saved) around the base. */
  drawSheet(): Promise<void> {
    const base = this.base;
    if (!base) return Promise.resolve();
    const discovered = (this.result?.directions ?? []).map((d) => ({ name: `PC${d.rank}`, vector: d.vector }));
    const saved = this.saved.map((d) => ({ name: d.name, vector: d.vector }));
    return this.sheet.draw({ z: base.z, label: base.label }, [...discovered, ...saved], SLIDER_SPAN);
  }

  /** A sheet on show follows the base and the directions. */
  #redrawSheet(): void {
    if (this.sheet.rows.length > 0 || this.sheet.busy) void this.drawSheet();
  }

  #renderSoon(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.render(), 60);
  }

  /** G(base + sum of amount x direction) over the discovered and the saved directions: the live preview. */
  async render(): Promise<void> {
    const base = this.base;
    const discovered = this.result?.directions ?? [];
    const vectors = [...discovered.map((d) => d.vector), ...this.saved.map((d) => d.vector)];
    if (!base || vectors.length === 0) return;
    const amounts = [[...$state.snapshot(this.amounts), ...this.saved.map((d) => this.savedAmount(d.id))]];
    await this.#preview.run(() =>
      this.api.directionFrames({ dir: this.dir, base: { z: base.z, label: base.label }, vectors, amounts, scale: 1 }),
    );
  }

  /** Keeps discovered direction `index` in the project, beside the concept directions. */
  async save(index: number, name?: string): Promise<void> {
    const result = this.result;
    const d = result?.directions[index];
    if (!result || !d) return;
    await attempt(this.notify, async () => {
      const source = {
        kind: 'discovered' as const,
        rank: d.rank,
        explainedVariance: d.explainedVariance,
        layer: result.layer,
        step: result.step,
      };
      const saved = await this.api.directionSave({
        dir: this.dir,
        name: name?.trim() || `PC${d.rank} (step ${result.step})`,
        vector: d.vector,
        source,
      });
      this.saved = [...this.saved, saved];
      this.notify.info(`Saved direction “${saved.name}” in the project: it keeps its slider here after the discovery is gone`);
    });
  }

  async remove(id: string): Promise<void> {
    await attempt(this.notify, async () => {
      this.saved = await this.api.directionDelete({ dir: this.dir, id });
      delete this.savedAmounts[id];
      void this.render();
    });
  }

  /** Discovered direction `index` swept from -span to +span around the base (played forth and back) as a walk. */
  exportDiscovered(index: number, format: AnimationFormat, projectName: string, imageSize: number): Promise<void> {
    const d = this.result?.directions[index];
    return d ? this.#exportSweep(d.vector, `PC${d.rank}`, format, projectName, imageSize) : Promise.resolve();
  }

  /** The same for a saved direction. */
  exportSaved(id: string, format: AnimationFormat, projectName: string, imageSize: number): Promise<void> {
    const d = this.saved.find((s) => s.id === id);
    return d ? this.#exportSweep(d.vector, d.name, format, projectName, imageSize) : Promise.resolve();
  }

  async #exportSweep(vector: number[], name: string, format: AnimationFormat, projectName: string, imageSize: number): Promise<void> {
    const base = this.base;
    if (!base || this.exporter.running) return;
    // The engine's own frames at both ends: no vector arithmetic here.
    let ends: DirectionFrames | undefined;
    await attempt(this.notify, async () => {
      const amounts = [[-SLIDER_SPAN], [SLIDER_SPAN]];
      ends = await this.api.directionFrames({ dir: this.dir, base: { z: base.z, label: base.label }, vectors: [vector], amounts });
    });
    if (!ends) return;
    const fileName = `${projectName}-${name.replace(/[^\w.-]+/g, '-').toLowerCase()}`;
    await this.exporter.run({
      ...animationDialog(`Export direction ${name} as a walk`, fileName, format),
      ...pingPongWalk(ends.frames, ends.label, 2 * SWEEP_FRAMES, format, imageSize),
    });
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.sheet.clear();
    this.job.dispose();
    this.exporter.dispose();
  }
}
