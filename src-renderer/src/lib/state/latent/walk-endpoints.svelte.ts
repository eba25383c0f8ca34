import type { Concept, GanvasBridge, WalkEndpoint } from '../../api-types';
import { attempt, type Notify } from '../notify';
import { renderBatches } from '../render-batches';
import type { GalleryItem } from './gallery.svelte';

/** A chosen endpoint, with what the UI shows for it. */
export interface EndpointChoice {
  key: string;
  endpoint: WalkEndpoint;
  name: string;
  /** Its image, once rendered. */
  url: string | null;
}

const itemKey = (item: GalleryItem) => `item:${item.id}`;

/**
 * The walk's endpoints in order: gallery samples, seeds and saved concepts. A seed or concept
 * is shown as the engine resolves it (tile 0 of the seed; the mean z of the concept's samples
 * with their most common class), by asking the engine to plan a one-point walk to it.
 */
export class WalkEndpoints {
  list = $state.raw<EndpointChoice[]>([]);
  /** The project's saved concepts (latent arithmetic), offered as endpoints. */
  concepts = $state.raw<Concept[]>([]);
  #nextKey = 0;

  constructor(
    private readonly api: GanvasBridge,
    private readonly dir: string,
    private readonly notify: Notify,
  ) {}

  get points(): WalkEndpoint[] {
    return this.list.map((e) => e.endpoint);
  }

  /** Position of a gallery item among the endpoints (1-based), or 0. */
  numberOf(item: GalleryItem): number {
    return this.list.findIndex((e) => e.key === itemKey(item)) + 1;
  }

  /** Clicking a gallery tile adds it as the next endpoint, or removes it when already picked. */
  toggleItem(item: GalleryItem): void {
    if (this.numberOf(item) > 0) return this.remove(itemKey(item));
    this.list = [
      ...this.list,
      { key: itemKey(item), endpoint: { kind: 'z', z: item.z, label: item.label }, name: item.name, url: item.url },
    ];
  }

  /** Adds a dropped gallery item unless it is already an endpoint. */
  addItem(item: GalleryItem): void {
    if (this.numberOf(item) === 0) this.toggleItem(item);
  }

  addSeed(seed: number, classIndex?: number): Promise<void> {
    return this.#addResolved({ kind: 'seed', seed, ...(classIndex !== undefined && { classIndex }) }, `seed ${seed}`);
  }

  addConcept(concept: Concept): Promise<void> {
    if (concept.members.length === 0) {
      this.notify.error(`Concept ${concept.symbol} has no samples yet: drag some into it first.`);
      return Promise.resolve();
    }
    return this.#addResolved({ kind: 'concept', id: concept.id }, `${concept.symbol} · ${concept.name}`);
  }

  remove(key: string): void {
    this.list = this.list.filter((e) => e.key !== key);
  }

  move(key: string, by: -1 | 1): void {
    const i = this.list.findIndex((e) => e.key === key);
    const j = i + by;
    if (i < 0 || j < 0 || j >= this.list.length) return;
    const next = [...this.list];
    [next[i], next[j]] = [next[j], next[i]];
    this.list = next;
  }

  clear(): void {
    this.list = [];
  }

  loadConcepts(): Promise<void> {
    return attempt(this.notify, async () => {
      this.concepts = await this.api.conceptList({ dir: this.dir });
    });
  }

  async #addResolved(endpoint: WalkEndpoint, name: string): Promise<void> {
    const key = `${endpoint.kind}:${this.#nextKey++}`;
    this.list = [...this.list, { key, endpoint, name, url: null }];
    await attempt(this.notify, async () => {
      const plan = await this.api.walkPlan({
        dir: this.dir,
        spec: { kind: 'path', endpoints: [endpoint, endpoint], mode: 'linear', framesPerSegment: 1 },
      });
      for await (const { urls } of renderBatches(this.api, this.dir, plan.frames.slice(0, 1))) {
        this.list = this.list.map((e) => (e.key === key ? { ...e, url: urls[0] } : e));
      }
    });
  }
}
