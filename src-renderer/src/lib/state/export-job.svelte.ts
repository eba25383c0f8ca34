import type { ExportProgress, GanvasBridge, SaveFileFilter, WalkExportOptions, WalkExportResult, WalkSpec } from '../api-types';
import { reportFailure, type Notify } from './notify';

export interface ExportRequest {
  /** The save dialog's title, suggested file name and file types. */
  title: string;
  defaultName: string;
  filters: SaveFileFilter[];
  spec: WalkSpec;
  options: Omit<WalkExportOptions, 'out'>;
}

/**
 * Writing a walk to a file the person chooses (walks, direction GIFs): the native save dialog,
 * the engine's progress events, cancel, and the last file written.
 */
export class ExportJob {
  progress = $state.raw<ExportProgress | null>(null);
  last = $state.raw<WalkExportResult | null>(null);
  #unsubscribe: () => void;

  constructor(
    private readonly api: GanvasBridge,
    private readonly dir: string,
    private readonly notify: Notify,
  ) {
    this.#unsubscribe = api.on('export.progress', (p) => {
      if (p.id === this.progress?.id) this.progress = p;
    });
  }

  get running(): boolean {
    return this.progress !== null;
  }

  /** Asks where to save, then exports with progress; resolves when written, cancelled or failed. */
  async run(request: ExportRequest): Promise<void> {
    if (this.running) return;
    const out = await this.api.chooseSaveFile({ title: request.title, defaultName: request.defaultName, filters: request.filters });
    if (!out) return;
    const id = `export-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    this.progress = { id, phase: 'render', done: 0, total: 1, file: out };
    try {
      const result = await this.api.exportWalk({ dir: this.dir, id, spec: request.spec, options: { ...request.options, out } });
      this.last = result;
      this.notify.info(`Exported ${result.frames} frames to ${result.file}`);
    } catch (error) {
      reportFailure(this.notify, error, 'Export cancelled.');
    } finally {
      this.progress = null;
    }
  }

  async cancel(): Promise<void> {
    if (this.progress) await this.api.cancelExport({ id: this.progress.id });
  }

  dispose(): void {
    this.#unsubscribe();
  }
}
