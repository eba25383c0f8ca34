import { readableMessage as message } from '$shared/errors';
import type { GalleryTile, GanvasBridge, GallerySample, LatentPoint } from '../api-types';

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
  /** When it was saved ('' for fresh tiles). */
  createdAt: string;
}

const freshId = (seed: number, index: number) => `seed:${seed}:${index}`;
const dataUrl = (b64: string) => `data:image/png;base64,${b64}`;
/** renderLatents takes at most 64 rows a call. */
const RENDER_BATCH = 64;

/**
 * The sample gallery of a project: saved samples (gallery.json) and a page of fresh samples
 * from a seed. Each item keeps its z and class, so any view can use it (walk endpoints,
 * concepts); components only read it and call its methods.
 */
export class GalleryState {
  saved = $state.raw<GalleryItem[]>([]);
  fresh = $state.raw<GalleryItem[]>([]);
  seed = $state(1);
  count = $state(16);
  /** Conditional models: the class of fresh tiles; null shows classes in turn. */
  classIndex = $state<number | null>(null);
  loading = $state(false);

  constructor(
    private readonly api: GanvasBridge,
    readonly dir: string,
    private readonly reportError: (message: string) => void,
  ) {}

  /** Saved samples (pinned first), then the fresh tiles not saved yet. */
  get items(): GalleryItem[] {
    const savedSources = this.saved.map((s) => s.source && freshId(s.source.seed, s.source.index));
    return [...this.saved, ...this.fresh.filter((f) => !savedSources.includes(f.id))];
  }

  get(id: string): GalleryItem | undefined {
    return this.saved.find((s) => s.id === id) ?? this.fresh.find((f) => f.id === id);
  }

  async load(): Promise<void> {
    await Promise.all([this.refreshSaved(), this.regenerate(this.seed)]);
  }

  /** A new page of fresh tiles; a random seed unless one is given. */
  async regenerate(seed = Math.floor(Math.random() * 1_000_000)): Promise<void> {
    this.seed = seed;
    this.loading = true;
    try {
      const tiles = await this.api.galleryTiles({
        dir: this.dir,
        seed,
        count: this.count,
        ...(this.classIndex !== null && { classIndex: this.classIndex }),
      });
      // A slower older request must not overwrite a newer page.
      if (seed === this.seed) this.fresh = tiles.map(fromTile);
      // Training may have written a newer checkpoint since: show the saved samples from it too.
      if (this.saved.length > 0) await this.#renderSaved(this.saved);
    } catch (error) {
      this.reportError(message(error));
    } finally {
      if (seed === this.seed) this.loading = false;
    }
  }

  /** Reloads gallery.json and renders every saved sample at the newest checkpoint. */
  async refreshSaved(): Promise<void> {
    try {
      const samples = await this.api.galleryList({ dir: this.dir });
      const known: Record<string, string | null> = Object.fromEntries(this.saved.map((s) => [s.id, s.url]));
      this.saved = samples.map((s) => fromSample(s, known[s.id] ?? null));
      await this.#renderSaved(samples);
    } catch (error) {
      this.reportError(message(error));
    }
  }

  /** Saves a fresh tile to the project (no-op for one already saved); returns the saved item. */
  async save(id: string, extra: { name?: string; pinned?: boolean } = {}): Promise<GalleryItem | undefined> {
    const item = this.get(id);
    if (!item) return undefined;
    if (item.saved) return item;
    try {
      const sample = await this.api.gallerySave({ dir: this.dir, sample: { z: item.z, label: item.label, source: item.source, ...extra } });
      const saved = fromSample(sample, item.url);
      this.saved = sortSaved([...this.saved, saved]);
      return saved;
    } catch (error) {
      this.reportError(message(error));
      return undefined;
    }
  }

  /** Pinning a fresh tile saves it too: a pin is kept in the project. */
  async setPinned(id: string, pinned: boolean): Promise<void> {
    const item = this.get(id);
    if (!item) return;
    if (!item.saved) {
      await this.save(id, { pinned });
      return;
    }
    await this.#update(id, { pinned });
  }

  async rename(id: string, name: string): Promise<void> {
    if (!name.trim()) return;
    const item = this.get(id);
    if (item && !item.saved) await this.save(id, { name });
    else await this.#update(id, { name });
  }

  async remove(id: string): Promise<void> {
    try {
      const left = await this.api.galleryDelete({ dir: this.dir, id });
      const urls: Record<string, string | null> = Object.fromEntries(this.saved.map((s) => [s.id, s.url]));
      this.saved = left.map((s) => fromSample(s, urls[s.id] ?? null));
    } catch (error) {
      this.reportError(message(error));
    }
  }

  async #update(id: string, change: { name?: string; pinned?: boolean }): Promise<void> {
    try {
      const sample = await this.api.galleryUpdate({ dir: this.dir, id, ...change });
      this.saved = sortSaved(this.saved.map((s) => (s.id === id ? fromSample(sample, s.url) : s)));
    } catch (error) {
      this.reportError(message(error));
    }
  }

  async #renderSaved(samples: Pick<GallerySample, 'id' | 'z' | 'label'>[]): Promise<void> {
    for (let start = 0; start < samples.length; start += RENDER_BATCH) {
      const batch = samples.slice(start, start + RENDER_BATCH);
      const pngs = await this.api.renderLatents({ dir: this.dir, rows: batch.map((s) => ({ z: s.z, label: s.label })) });
      const urls: Record<string, string> = Object.fromEntries(batch.map((s, i) => [s.id, dataUrl(pngs[i])]));
      this.saved = this.saved.map((s) => (s.id in urls ? { ...s, url: urls[s.id] } : s));
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
    url: dataUrl(tile.pngBase64),
    saved: false,
    pinned: false,
    source: { seed: tile.seed, index: tile.index },
    createdAt: '',
  };
}

function fromSample(sample: GallerySample, url: string | null): GalleryItem {
  const { id, name, z, label, pinned, source, createdAt } = sample;
  return { id, name, z, label, url, saved: true, pinned, source, createdAt };
}

/** Pinned first, then oldest first, as the engine lists them. */
function sortSaved(items: GalleryItem[]): GalleryItem[] {
  return [...items].sort((a, b) => Number(b.pinned) - Number(a.pinned) || a.createdAt.localeCompare(b.createdAt));
}
