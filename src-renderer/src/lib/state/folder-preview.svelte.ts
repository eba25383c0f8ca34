import { readableMessage } from '$shared/errors';
import type { ApiInput, FolderPreview, GanvasBridge } from '../api-types';

/** Long enough that typing a crop size does not decode images on every key. */
const SETTLE_MS = 350;

type PreviewRequest = ApiInput<'previewFolder'>;

/**
 * The wizard's folder preview: the first images as the import will cut them (centre crop, then
 * resize). It starts when the person asks (a typed folder must be confirmed by the desktop app
 * before it is read, so half-typed paths are never sent), then follows the crop and the image
 * size; another folder clears it. A folder that cannot be read is said next to the preview.
 */
export class FolderPreviewState {
  value = $state.raw<FolderPreview | null>(null);
  /** The request `value` answers (its crop, its size). */
  shown = $state.raw<PreviewRequest | null>(null);
  error = $state('');
  busy = $state(false);
  /** The folder being previewed; null until the person asks. */
  folder = $state<string | null>(null);
  #request = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly api: GanvasBridge) {}

  /** Previews `input` now and keeps following it. */
  show(input: PreviewRequest): void {
    this.folder = input.path;
    this.#schedule(input, 0);
  }

  /** The wizard's fields changed: refresh the preview of the same folder, forget it for another. */
  follow(input: PreviewRequest | null): void {
    if (input && input.path === this.folder) return this.#schedule(input, SETTLE_MS);
    if (this.folder !== null || this.value || this.error) this.clear();
  }

  clear(): void {
    clearTimeout(this.#timer);
    this.#request++;
    this.folder = null;
    this.value = null;
    this.shown = null;
    this.error = '';
    this.busy = false;
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#request++;
  }

  #schedule(input: PreviewRequest, delay: number): void {
    clearTimeout(this.#timer);
    const request = ++this.#request;
    this.busy = true;
    this.#timer = setTimeout(() => void this.#load(request, input), delay);
  }

  async #load(request: number, input: PreviewRequest): Promise<void> {
    try {
      const preview = await this.api.previewFolder(input);
      if (request !== this.#request) return;
      this.value = preview;
      this.shown = input;
      this.error = '';
    } catch (error) {
      if (request !== this.#request) return;
      this.value = null;
      this.shown = null;
      this.error = readableMessage(error);
    } finally {
      if (request === this.#request) this.busy = false;
    }
  }
}
