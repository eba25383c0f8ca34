import { readableMessage } from '$shared/errors';
import type { ApiInput, FolderPreview, GanvasBridge } from '../api-types';

/** Long enough that typing a path or a crop size does not decode images on every key. */
const SETTLE_MS = 350;

/**
 * The wizard's folder preview: the first images as the import will cut them (centre crop, then
 * resize), refreshed a moment after the folder, the crop or the image size changes. A folder that
 * cannot be read is said next to the preview, not as a toast: it is usually a path half typed.
 */
export class FolderPreviewState {
  value = $state.raw<FolderPreview | null>(null);
  error = $state('');
  busy = $state(false);
  #request = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly api: GanvasBridge) {}

  /** Shows the preview for `input` soon (null: nothing to preview). */
  request(input: ApiInput<'previewFolder'> | null): void {
    clearTimeout(this.#timer);
    const request = ++this.#request;
    if (!input) {
      this.value = null;
      this.error = '';
      this.busy = false;
      return;
    }
    this.#timer = setTimeout(() => void this.#load(request, input), SETTLE_MS);
  }

  async #load(request: number, input: ApiInput<'previewFolder'>): Promise<void> {
    this.busy = true;
    try {
      const preview = await this.api.previewFolder(input);
      if (request !== this.#request) return;
      this.value = preview;
      this.error = '';
    } catch (error) {
      if (request !== this.#request) return;
      this.value = null;
      this.error = readableMessage(error);
    } finally {
      if (request === this.#request) this.busy = false;
    }
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#request++;
  }
}
