import type { GanvasBridge } from '../api-types';
import { reportFailure, type Notify } from './notify';
import { announceSaved } from './saved-file';

const PNG_FILTER = { name: 'PNG image', extensions: ['png'] };

/**
 * Saving a still image the page shows (a sample grid, an arithmetic grid) the way animations
 * are exported: the native save dialog, the engine writes the file (enlarged crisply, see
 * saveImage in the contract), then a message with "Show in folder".
 */
export class ImageExport {
  saving = $state(false);

  constructor(
    private readonly api: GanvasBridge,
    private readonly notify: Notify,
  ) {}

  /** Asks where to save `pngBase64`, then writes it; resolves when written, cancelled or failed. */
  async save(title: string, defaultName: string, pngBase64: string): Promise<void> {
    if (this.saving) return;
    const out = await this.api.chooseSaveFile({ title, defaultName, filters: [PNG_FILTER] });
    if (!out) return;
    this.saving = true;
    try {
      const result = await this.api.saveImage({ png: pngBase64, out });
      announceSaved(this.api, this.notify, `Saved a ${result.width}×${result.height} PNG (${result.scale}×) to ${result.file}`, result.file);
    } catch (error) {
      reportFailure(this.notify, error);
    } finally {
      this.saving = false;
    }
  }
}
