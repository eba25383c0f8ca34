import type { AnimationFormat, DirectionFrames, DirectionsResult, GanvasBridge, SavedDirection } from '../../api-types';
import { animationDialog } from '../../export-formats';
import { AnalysisJob } from '../analysis-job.svelte';
import type { DirectionBase } from '../arith/direction.svelte';
import { ExportJob } from '../export-job.svelte';
import { attempt, type Notify } from '../notify';
import { ProjectPart } from '../project-part';

/** Slider range in prior standard deviations: the projection of z ~ N(0, I) on a unit vector has SD 1. */
export const SLIDER_SPAN = 4;
/** Frames per half of an exported sweep (base - span ... base + span). */
const SWEEP_FRAMES = 16;

/**
 * Discovered directions (GANSpace) in the app: the discovery job, one slider per direction over
 * a chosen base sample with a live preview (newest request wins), saving a direction beside the
 * concept directions (directions.json), and a direction exported as a walk.
 */
export class DiscoveredState extends ProjectPart {
  count = $state(10);
  samples = $state(2000);
  result = $state.raw<DirectionsResult | null>(null);
  base = $state.raw<DirectionBase | null>(null);
  /** One amount per discovered direction, in prior standard deviations. */
  amounts = $state<number[]>([]);
  saved = $state.raw<SavedDirection[]>([]);
  readonly job: AnalysisJob<DirectionsResult>;
  readonly exporter: ExportJob;
  readonly #preview = this.latest<DirectionFrames>();
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(api: GanvasBridge, dir: string, notify: Notify) {
    super(api, dir, notify);
    this.job = new AnalysisJob(api, notify, 'Direction discovery cancelled.');
    this.exporter = new ExportJob(api, dir, notify);
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
  }

  setBase(base: DirectionBase): void {
    this.base = base;
    void this.render();
  }

  setAmount(index: number, amount: number): void {
    this.amounts[index] = amount;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.render(), 60);
  }

  reset(): void {
    this.amounts = this.amounts.map(() => 0);
    void this.render();
  }

  /** G(base + sum of amount x direction): the live preview. */
  async render(): Promise<void> {
    const { result, base } = this;
    if (!result || !base) return;
    const vectors = result.directions.map((d) => d.vector);
    const amounts = [$state.snapshot(this.amounts)];
    await this.#preview.run(() => this.api.directionFrames({ dir: this.dir, base: { z: base.z, label: base.label }, vectors, amounts, scale: 1 }));
  }

  /** Keeps discovered direction `index` in the project, beside the concept directions. */
  async save(index: number, name?: string): Promise<void> {
    const result = this.result;
    const d = result?.directions[index];
    if (!result || !d) return;
    await attempt(this.notify, async () => {
      const source = { kind: 'discovered' as const, rank: d.rank, explainedVariance: d.explainedVariance, layer: result.layer, step: result.step };
      const saved = await this.api.directionSave({ dir: this.dir, name: name?.trim() || `PC${d.rank} (step ${result.step})`, vector: d.vector, source });
      this.saved = [...this.saved, saved];
      this.notify.info(`Saved direction “${saved.name}”: the arithmetic tab offers it beside the concept directions`);
    });
  }

  async remove(id: string): Promise<void> {
    await attempt(this.notify, async () => {
      this.saved = await this.api.directionDelete({ dir: this.dir, id });
    });
  }

  /** Direction `index` swept from -span to +span around the base (played forth and back) as a walk. */
  async exportSweep(index: number, format: AnimationFormat, projectName: string, imageSize: number): Promise<void> {
    const d = this.result?.directions[index];
    const base = this.base;
    if (!d || !base || this.exporter.running) return;
    // The engine's own frames at both ends: no vector arithmetic here.
    let ends: DirectionFrames | undefined;
    await attempt(this.notify, async () => {
      const amounts = [[-SLIDER_SPAN], [SLIDER_SPAN]];
      ends = await this.api.directionFrames({ dir: this.dir, base: { z: base.z, label: base.label }, vectors: [d.vector], amounts });
    });
    if (!ends) return;
    const label = ends.label;
    await this.exporter.run({
      ...animationDialog(`Export direction PC${d.rank} as a walk`, `${projectName}-pc${d.rank}`, format),
      spec: { kind: 'path', mode: 'linear', framesPerSegment: 2 * SWEEP_FRAMES, endpoints: ends.frames.map((f) => ({ kind: 'z' as const, z: f.z, label })) },
      options: { format, fps: 12, scale: imageSize <= 32 ? 4 : 2, pingPong: true },
    });
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.job.dispose();
    this.exporter.dispose();
  }
}
