/** Events pushed from the engine (and the shell's menu) to the renderer. */
import type { EvalProgress } from '../types/eval';
import type { ExportProgress } from '../types/latent';
import type { ImportReport, ProjectNotice, SampleGridInfo } from '../types/project';
import type { MetricRow, TrainingStatus } from '../types/training';

export interface ApiEvents {
  'training.status': TrainingStatus;
  'training.metrics': { dir: string; rows: MetricRow[] };
  'training.sample': { dir: string; grid: SampleGridInfo };
  /** A dataset or model import; `stage` says what is being done when it is not images ("Reading netG.pth"). */
  'import.progress': { done: number; total: number; file?: string; stage?: string };
  'import.report': ImportReport;
  'export.progress': ExportProgress;
  'eval.progress': EvalProgress;
  /** The engine repaired or set aside something in a project (see ProjectNotice). */
  'project.notice': ProjectNotice & { dir: string };
  /** A native menu item or shell action the renderer carries out (File > New project...). */
  'app.command': AppCommand;
}

export type AppCommand =
  | { command: 'new-project' }
  | { command: 'import-model' }
  | { command: 'open-project'; dir: string }
  | { command: 'show-start' }
  | { command: 'export-grid' };

export type ApiEventName = keyof ApiEvents;

// A record keyed by every event name: the compiler fails here when an event is added above and
// not listed, so the list transports subscribe to can never fall behind the interface.
const eventNameSet: Record<ApiEventName, true> = {
  'training.status': true,
  'training.metrics': true,
  'training.sample': true,
  'import.progress': true,
  'import.report': true,
  'export.progress': true,
  'eval.progress': true,
  'project.notice': true,
  'app.command': true,
};
export const apiEventNames = Object.keys(eventNameSet) as ApiEventName[];

/** How any part of the engine sends an event. */
export type Emit = <E extends ApiEventName>(event: E, payload: ApiEvents[E]) => void;
