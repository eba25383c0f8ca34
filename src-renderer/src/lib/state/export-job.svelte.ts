import type {
  AnimationExportResult,
  ExportProgress,
  GanvasBridge,
  SaveFileFilter,
  WalkExportOptions,
  WalkExportFormat,
  WalkExportResult,
  WalkSpec,
} from '../api-types';
import { reportFailure, type Notify } from './notify';
import { announceSaved } from './saved-file';

/** The save dialog's title, suggested file name and file types. */
export interface SaveDialog {
  title: string;
  defaultName: string;
  filters: SaveFileFilter[];
}

export interface ExportRequest extends SaveDialog {
  spec: WalkSpec;
  options: Omit<WalkExportOptions, 'out'>;
}

/**
 * A walk from one z to another, played forth and back (direction sweeps): `frames` frames per
 * way, upscaled so a 28 px digit is visible in an image viewer (64 px images need less).
 */
export function pingPongWalk(
  ends: { z: number[] }[],
  label: number | null,
  frames: number,
  format: WalkExportFormat,
  imageSize: number,
): Pick<ExportRequest, 'spec' | 'options'> {
  return {
    spec: { kind: 'path', mode: 'linear', framesPerSegment: frames, endpoints: ends.map((f) => ({ kind: 'z' as const, z: f.z, label })) },
    options: { format, fps: 12, scale: imageSize <= 32 ? 4 : 2, pingPong: true },
  };
}

/**
 * Writing an export to a file the person chooses (walks, direction walks, projection animations,
 * timelapses): the native save dialog, the engine's progress events, cancel, and the last file written.
 */
export class ExportJob {
  progress = $state.raw<ExportProgress | null>(null);
  last = $state.raw<WalkExportResult | AnimationExportResult | null>(null);
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
  run(request: ExportRequest): Promise<void> {
    const { spec, options } = request;
    return this.runWith(request, (out, id) => this.api.exportWalk({ dir: this.dir, id, spec, options: { ...options, out } }));
  }

  /** Asks where to save, then runs `call` (an export method given the file and a job id) with progress. */
  async runWith(dialog: SaveDialog, call: (out: string, id: string) => Promise<WalkExportResult | AnimationExportResult>): Promise<void> {
    if (this.running) return;
    const out = await this.api.chooseSaveFile({ title: dialog.title, defaultName: dialog.defaultName, filters: dialog.filters });
    if (!out) return;
    const id = `export-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    this.progress = { id, phase: 'render', done: 0, total: 1, file: out };
    try {
      const result = await call(out, id);
      this.last = result;
      announceSaved(this.api, this.notify, `Exported ${result.frames} frames to ${result.file}`, result.file);
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
