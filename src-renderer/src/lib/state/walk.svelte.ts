import { playbackOrder } from '$shared/playback';
import { readableMessage } from '$shared/errors';
import type {
  Concept,
  ExportProgress,
  GanvasBridge,
  WalkEndpoint,
  WalkExportFormat,
  WalkExportResult,
  WalkMode,
  WalkPlan,
  WalkSpec,
} from '../api-types';
import type { GalleryItem } from './gallery.svelte';

export type WalkKind = WalkSpec['kind'];

/** A chosen endpoint, with what the UI shows for it. */
export interface EndpointChoice {
  key: string;
  endpoint: WalkEndpoint;
  name: string;
  url: string | null;
}

export interface ModelFacts {
  zDim: number;
  numClasses: number;
  classNames: string[];
  projectName: string;
}

/** Frames per render call: the first frames show after one short call, and the worker stays free for others between calls. */
const RENDER_BATCH = 16;

const extensions: Record<WalkExportFormat, string> = { gif: 'gif', 'png-strip': 'png', 'png-grid': 'png', json: 'json' };
const filterNames: Record<WalkExportFormat, string> = {
  gif: 'Animated GIF',
  'png-strip': 'PNG image',
  'png-grid': 'PNG image',
  json: 'JSON',
};

/**
 * A latent walk in the app: its settings, the planned frames rendered progressively in
 * batches, the player (play/pause, scrub, fps, ping-pong) and exports with progress.
 */
export class WalkState {
  kind = $state<WalkKind>('path');
  mode = $state<WalkMode>('slerp');
  framesPerSegment = $state(12);
  loop = $state(false);
  steps = $state(8);
  stepSize = $state(0.3);
  walkSeed = $state(1);
  dim = $state(0);
  rangeLo = $state(-3);
  rangeHi = $state(3);
  sweepFrames = $state(24);
  classes = $state.raw<number[]>([]);
  endpoints = $state.raw<EndpointChoice[]>([]);

  plan = $state.raw<WalkPlan | null>(null);
  /** PNG data URL per planned frame; null until rendered. */
  frames = $state.raw<(string | null)[]>([]);
  rendered = $state(0);
  building = $state(false);

  playing = $state(false);
  /** Index into `order`. */
  position = $state(0);
  fps = $state(12);
  pingPong = $state(false);
  readonly order = $derived(playbackOrder(this.frames.length, this.pingPong));

  /** The project's saved concepts (latent arithmetic), offered as endpoints. */
  concepts = $state.raw<Concept[]>([]);

  exporting = $state.raw<ExportProgress | null>(null);
  lastExport = $state.raw<WalkExportResult | null>(null);

  /** The spec the current frames came from (exports use it, so they match what plays). */
  #builtSpec: WalkSpec | null = null;
  #build = 0;
  #raf = 0;
  #lastTick = 0;
  #carry = 0;
  #unsubscribe: () => void;

  constructor(
    private readonly api: GanvasBridge,
    readonly dir: string,
    readonly model: ModelFacts,
    private readonly notify: { error(message: string): void; info(message: string): void },
  ) {
    this.#unsubscribe = api.on('export.progress', (p) => {
      if (p.id === this.exporting?.id) this.exporting = p;
    });
  }

  get frameIndex(): number {
    return this.order[Math.min(this.position, this.order.length - 1)] ?? 0;
  }

  get currentUrl(): string | null {
    return this.frames[this.frameIndex] ?? null;
  }

  /** Why the walk cannot be built yet, or null when it can. */
  get missing(): string | null {
    if (this.kind === 'path' && this.endpoints.length < 2) return 'Pick at least two endpoints: click samples in the gallery or add seeds.';
    if (this.kind !== 'path' && this.endpoints.length < 1) return 'Pick a starting sample: click one in the gallery or add a seed.';
    if (this.kind === 'classes' && this.model.numClasses === 0) return 'Class walks need a conditional model.';
    if (this.kind === 'classes' && this.classes.length < 2) return 'Pick at least two classes to walk through.';
    return null;
  }

  /** The walk as the engine takes it, from the current settings. */
  spec(): WalkSpec {
    const points = this.endpoints.map((e) => e.endpoint);
    const start = points[0];
    switch (this.kind) {
      case 'path':
        return { kind: 'path', endpoints: points, mode: this.mode, framesPerSegment: this.framesPerSegment, loop: this.loop };
      case 'random':
        return {
          kind: 'random',
          start,
          steps: this.steps,
          stepSize: this.stepSize,
          seed: this.walkSeed,
          mode: this.mode,
          framesPerSegment: this.framesPerSegment,
        };
      case 'sweep':
        return { kind: 'sweep', start, dim: this.dim, range: [this.rangeLo, this.rangeHi], frames: this.sweepFrames };
      case 'classes':
        return { kind: 'classes', start, classes: this.classes, framesPerSegment: this.framesPerSegment, loop: this.loop };
    }
  }

  /** Position of a gallery item among the endpoints (1-based), or 0. */
  endpointNumber(key: string): number {
    return this.endpoints.findIndex((e) => e.key === key) + 1;
  }

  /** Clicking a gallery tile adds it as the next endpoint, or removes it when already picked. */
  toggleItem(item: GalleryItem): void {
    const key = `item:${item.id}`;
    if (this.endpoints.some((e) => e.key === key)) return this.removeEndpoint(key);
    const endpoint: WalkEndpoint = { kind: 'z', z: item.z, label: item.label };
    this.endpoints = [...this.endpoints, { key, endpoint, name: item.name, url: item.url }];
  }

  /** Adds a seed endpoint (tile 0 of that seed's samples), with its thumbnail. */
  async addSeed(seed: number, classIndex?: number): Promise<void> {
    const key = `seed:${seed}:${classIndex ?? ''}:${Date.now()}`;
    const endpoint: WalkEndpoint = { kind: 'seed', seed, ...(classIndex !== undefined && { classIndex }) };
    this.endpoints = [...this.endpoints, { key, endpoint, name: `seed ${seed}`, url: null }];
    try {
      const [tile] = await this.api.galleryTiles({ dir: this.dir, seed, count: 1, ...(classIndex !== undefined && { classIndex }) });
      this.endpoints = this.endpoints.map((e) => (e.key === key ? { ...e, url: `data:image/png;base64,${tile.pngBase64}` } : e));
    } catch (error) {
      this.notify.error(readableMessage(error));
    }
  }

  async loadConcepts(): Promise<void> {
    try {
      this.concepts = await this.api.conceptList({ dir: this.dir });
    } catch (error) {
      this.notify.error(readableMessage(error));
    }
  }

  /**
   * Adds a saved concept: the engine walks from the mean z of its samples (paper Sec. 6.3), so
   * the thumbnail is G of that mean, with the samples' most common class.
   */
  async addConcept(concept: Concept): Promise<void> {
    if (concept.members.length === 0) return this.notify.error(`Concept ${concept.symbol} has no samples yet: drag some into it first.`);
    const key = `concept:${concept.id}:${Date.now()}`;
    this.endpoints = [
      ...this.endpoints,
      { key, endpoint: { kind: 'concept', id: concept.id }, name: `${concept.symbol} · ${concept.name}`, url: null },
    ];
    const d = concept.members[0].z.length;
    const mean = Array.from({ length: d }, (_, i) => concept.members.reduce((s, m) => s + m.z[i], 0) / concept.members.length);
    const counts: number[] = [];
    for (const m of concept.members) if (m.label != null) counts[m.label] = (counts[m.label] ?? 0) + 1;
    // The most common class, the lowest on ties (as the engine picks it).
    let label: number | null = null;
    counts.forEach((n, c) => {
      if (label === null || n > counts[label]) label = c;
    });
    try {
      const [png] = await this.api.renderLatents({ dir: this.dir, rows: [{ z: mean, label }] });
      this.endpoints = this.endpoints.map((e) => (e.key === key ? { ...e, url: `data:image/png;base64,${png}` } : e));
    } catch (error) {
      this.notify.error(readableMessage(error));
    }
  }

  /** Adds any other endpoint under a display name. */
  addEndpoint(endpoint: WalkEndpoint, name: string, url: string | null = null): void {
    this.endpoints = [...this.endpoints, { key: `${endpoint.kind}:${name}:${Date.now()}`, endpoint, name, url }];
  }

  removeEndpoint(key: string): void {
    this.endpoints = this.endpoints.filter((e) => e.key !== key);
  }

  moveEndpoint(key: string, by: -1 | 1): void {
    const i = this.endpoints.findIndex((e) => e.key === key);
    const j = i + by;
    if (i < 0 || j < 0 || j >= this.endpoints.length) return;
    const next = [...this.endpoints];
    [next[i], next[j]] = [next[j], next[i]];
    this.endpoints = next;
  }

  clearEndpoints(): void {
    this.endpoints = [];
  }

  /** Plans the walk and renders its frames in batches; playback starts with the first batch. */
  async build(): Promise<void> {
    if (this.missing) return this.notify.error(this.missing);
    const build = ++this.#build;
    const spec = $state.snapshot(this.spec()) as WalkSpec;
    this.building = true;
    this.pause();
    try {
      const plan = await this.api.walkPlan({ dir: this.dir, spec });
      if (build !== this.#build) return;
      this.plan = plan;
      this.#builtSpec = spec;
      this.frames = plan.frames.map(() => null);
      this.rendered = 0;
      this.position = 0;
      for (let start = 0; start < plan.frames.length; start += RENDER_BATCH) {
        const rows = plan.frames.slice(start, start + RENDER_BATCH);
        const pngs = await this.api.renderLatents({ dir: this.dir, rows });
        if (build !== this.#build) return;
        const frames = [...this.frames];
        pngs.forEach((png, i) => (frames[start + i] = `data:image/png;base64,${png}`));
        this.frames = frames;
        this.rendered = Math.min(plan.frames.length, start + rows.length);
        if (start === 0) this.play();
      }
    } catch (error) {
      if (build === this.#build) this.notify.error(readableMessage(error));
    } finally {
      if (build === this.#build) this.building = false;
    }
  }

  play(): void {
    if (this.playing || this.frames.length < 2) return;
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

  /** Asks where to save, then exports the built walk with progress; resolves when done or cancelled. */
  async export(format: WalkExportFormat, scale: number): Promise<void> {
    const spec = this.#builtSpec;
    if (!spec) return this.notify.error('Build a walk first.');
    const ext = extensions[format];
    const out = await this.api.chooseSaveFile({
      title: 'Export latent walk',
      defaultName: `${this.model.projectName}-walk${format === 'png-grid' ? '-grid' : ''}.${ext}`,
      filters: [{ name: filterNames[format], extensions: [ext] }],
    });
    if (!out) return;
    const id = `export-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    this.exporting = { id, phase: 'render', done: 0, total: 1, file: out };
    try {
      const result = await this.api.exportWalk({
        dir: this.dir,
        spec,
        id,
        options: { format, out, fps: this.fps, scale, pingPong: this.pingPong },
      });
      this.lastExport = result;
      this.notify.info(`Exported ${result.frames} frames to ${result.file}`);
    } catch (error) {
      const message = readableMessage(error);
      if (message === 'Export cancelled') this.notify.info('Export cancelled.');
      else this.notify.error(message);
    } finally {
      this.exporting = null;
    }
  }

  async cancelExport(): Promise<void> {
    if (this.exporting) await this.api.cancelExport({ id: this.exporting.id });
  }

  dispose(): void {
    this.pause();
    this.#build++;
    this.#unsubscribe();
  }

  #tick(now: number): void {
    if (!this.playing) return;
    this.#carry += ((now - this.#lastTick) / 1000) * this.fps;
    this.#lastTick = now;
    while (this.#carry >= 1) {
      this.#carry -= 1;
      // The player repeats, as the exported GIF does.
      const next = this.position >= this.order.length - 1 ? 0 : this.position + 1;
      // Frames still rendering: hold here rather than show a gap (playback catches up by itself).
      if (this.frames[this.order[next]] === null) {
        this.#carry = 0;
        break;
      }
      this.position = next;
    }
    this.#raf = requestAnimationFrame((t) => this.#tick(t));
  }
}
