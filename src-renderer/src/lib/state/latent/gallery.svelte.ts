import type { GalleryTile, GallerySample, LatentPoint } from '../../api-types';
import { pngUrl } from '../../images';
import { attempt } from '../notify';
import { ProjectPart } from '../project-part';
import { renderBatches } from '../render-batches';

/** The MIME type of a dragged gallery tile; the data is the item's id (see GalleryState.get). */
export const SAMPLE_DRAG_TYPE = 'application/x-ganvas-sample';

/** One tile of the gallery: a saved sample, or a fresh one from the current seed. */
export interface GalleryItem extends LatentPoint {
  /** A saved sample's id, or `seed:<seed>:<index>` for a fresh tile. */
  id: string;
  name: string;
  /** PNG data URL from the newest checkpoint; null while it renders. */
  url: string | null;
  saved: boolean;
  pinned: boolean;
  source: { seed: number; index: number } | null;
  /** A sample made by projecting an image: that image (data URL) and how close G(z) came. */
  projected: { sourceUrl: string; sourceName: string; pixelError: number } | null;
}

const freshId = (seed: number, index: number) => `seed:${seed}:${index}`;

/**
 * The sample gallery of a project: saved samples (gallery.json) and a page of fresh samples
 * from a seed. Each item keeps its z and class, so any view can use it (walk endpoints,
 * concepts); components only read it and call its methods.
 */
export class GalleryState extends ProjectPart {
  /** Saved samples in the engine's order (pinned first). */
  saved = $state.raw<GalleryItem[]>([]);
  seed = $state(1);
  count = $state(16);
  /** Conditional models: the class of fresh tiles; null shows classes in turn. */
  classIndex = $state<number | null>(null);
  readonly #page = this.latest<GalleryItem[]>();

  get fresh(): GalleryItem[] {
    return this.#page.value ?? [];
  }

  get loading(): boolean {
    return this.#page.busy;
  }

  /** Fresh tiles not saved yet. */
  get unsaved(): GalleryItem[] {
    const savedSources = this.saved.map((s) => s.source && freshId(s.source.seed, s.source.index));
    return this.fresh.filter((f) => !savedSources.includes(f.id));
  }

  get(id: string): GalleryItem | undefined {
    return this.saved.find((s) => s.id === id) ?? this.fresh.find((f) => f.id === id);
  }

  /** The saved samples and a first page (both tabs that show the gallery share it). */
  protected override async firstLoad(): Promise<void> {
    await Promise.all([this.refreshSaved(), this.regenerate(this.seed)]);
  }

  /** A new page of fresh tiles; a random seed unless one is given. */
  async regenerate(seed = Math.floor(Math.random() * 1_000_000)): Promise<void> {
    this.seed = seed;
    const classIndex = this.classIndex;
    const page = await this.#page.run(async () => {
      const tiles = await this.api.galleryTiles({ dir: this.dir, seed, count: this.count, ...(classIndex !== null && { classIndex }) });
      return tiles.map(fromTile);
    });
    // Training may have written a newer checkpoint since: show the saved samples from it too.
    if (page) await attempt(this.notify, () => this.#renderSaved());
  }

  /** Reloads gallery.json and renders every saved sample at the newest checkpoint. */
  refreshSaved(): Promise<void> {
    return attempt(this.notify, async () => {
      await this.#list();
      await this.#renderSaved();
    });
  }

  /** Saves a fresh tile to the project (no-op for one already saved). */
  async save(id: string, extra: { name?: string; pinned?: boolean } = {}): Promise<void> {
    const item = this.get(id);
    if (!item || item.saved) return;
    await attempt(this.notify, async () => {
      await this.api.gallerySave({ dir: this.dir, sample: { z: item.z, label: item.label, source: item.source, ...extra } });
      await this.#list({ [id]: item.url });
    });
  }

  /** Pinning a fresh tile saves it too: a pin is kept in the project. */
  setPinned(id: string, pinned: boolean): Promise<void> {
    return this.get(id)?.saved ? this.#update(id, { pinned }) : this.save(id, { pinned });
  }

  rename(id: string, name: string): Promise<void> {
    if (!name.trim()) return Promise.resolve();
    return this.get(id)?.saved ? this.#update(id, { name }) : this.save(id, { name });
  }

  remove(id: string): Promise<void> {
    return attempt(this.notify, async () => {
      this.#show(await this.api.galleryDelete({ dir: this.dir, id }));
    });
  }

  #update(id: string, change: { name?: string; pinned?: boolean }): Promise<void> {
    return attempt(this.notify, async () => {
      await this.api.galleryUpdate({ dir: this.dir, id, ...change });
      await this.#list();
    });
  }

  /** Re-reads the saved samples, in the engine's order. `urls` adds images of fresh tiles just saved, by their fresh id. */
  async #list(urls: Record<string, string | null> = {}): Promise<void> {
    this.#show(await this.api.galleryList({ dir: this.dir }), urls);
  }

  #show(samples: GallerySample[], extra: Record<string, string | null> = {}): void {
    const known: Record<string, string | null> = Object.fromEntries(this.saved.map((s) => [s.id, s.url]));
    const fromFresh = (s: GallerySample) => (s.source ? extra[freshId(s.source.seed, s.source.index)] : undefined);
    this.saved = samples.map((s) => fromSample(s, known[s.id] ?? fromFresh(s) ?? null));
  }

  async #renderSaved(): Promise<void> {
    const samples = this.saved;
    const rows = samples.map(({ z, label }) => ({ z, label }));
    for await (const { start, urls } of renderBatches(this.api, this.dir, rows)) {
      const byId: Record<string, string> = Object.fromEntries(samples.slice(start, start + urls.length).map((s, i) => [s.id, urls[i]]));
      this.saved = this.saved.map((s) => (s.id in byId ? { ...s, url: byId[s.id] } : s));
    }
  }
}

function fromTile(tile: GalleryTile): GalleryItem {
  return {
    id: freshId(tile.seed, tile.index),
    // The section shows the seed; saving names it `seed S #i` (engine default).
    name: `#${tile.index}`,
    z: tile.z,
    label: tile.label,
    url: pngUrl(tile.pngBase64),
    saved: false,
    pinned: false,
    source: { seed: tile.seed, index: tile.index },
    projected: null,
  };
}

function fromSample(sample: GallerySample, url: string | null): GalleryItem {
  const { id, name, z, label, pinned, source, projection: p } = sample;
  const projected = p ? { sourceUrl: pngUrl(p.sourcePng), sourceName: p.sourceName, pixelError: p.pixelError } : null;
  return { id, name, z, label, url, saved: true, pinned, source, projected };
}
