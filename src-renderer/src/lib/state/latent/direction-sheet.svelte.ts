import type { GanvasBridge, LatentPoint } from '../../api-types';
import { pngUrl } from '../../images';
import { Latest } from '../latest.svelte';
import type { Notify } from '../notify';

/** Columns of the sheet: the base in the middle, evenly spaced offsets to ±span either side. */
export const SHEET_COLUMNS = 7;

/** `columns` offsets from -span to +span (prior standard deviations), 0 in the middle. */
export function sheetOffsets(span: number, columns = SHEET_COLUMNS): number[] {
  return Array.from({ length: columns }, (_, i) => Number((-span + (2 * span * i) / (columns - 1)).toFixed(4)));
}

export interface SheetRow {
  name: string;
  urls: string[];
}

/**
 * The directions sheet (GANSpace's figure): one row per direction, the base sample moved from
 * -span to +span along it. One engine call per row, so a long sheet fills in row by row and a
 * newer request (another base, another discovery) stops the older one between rows.
 */
export class DirectionSheet {
  readonly #rows: Latest<SheetRow[]>;
  /** Rows drawn so far by the newest request. */
  partial = $state.raw<SheetRow[]>([]);

  constructor(
    private readonly api: GanvasBridge,
    private readonly dir: string,
    notify: Notify,
  ) {
    this.#rows = new Latest(notify);
  }

  get rows(): SheetRow[] {
    return this.#rows.busy ? this.partial : (this.#rows.value ?? []);
  }

  get busy(): boolean {
    return this.#rows.busy;
  }

  async draw(base: LatentPoint, directions: { name: string; vector: number[] }[], span: number): Promise<void> {
    const offsets = sheetOffsets(span);
    this.partial = [];
    await this.#rows.run(async (current) => {
      const rows: SheetRow[] = [];
      for (const d of directions) {
        const amounts = offsets.map((o) => [o]);
        const frames = await this.api.directionFrames({
          dir: this.dir,
          base: { z: base.z, label: base.label },
          vectors: [d.vector],
          amounts,
        });
        if (!current()) break;
        rows.push({ name: d.name, urls: frames.frames.map((f) => pngUrl(f.pngBase64)) });
        this.partial = [...rows];
      }
      return rows;
    });
  }

  clear(): void {
    this.#rows.clear();
    this.partial = [];
  }
}
