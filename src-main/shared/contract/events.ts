/** Events pushed from the engine (and the shell's menu) to the renderer. */
import type { EvalProgress } from '../types/eval';
import type { HealthProgress, HealthUpdate } from '../types/health';
import type { AnalysisProgress } from '../types/invert';
import type { ExportProgress } from '../types/latent';
import type { EngineConnection } from '../types/connection';
import type { ImportReport, ProjectNotice, SampleGridInfo } from '../types/project';
import type { MetricRow, TrainingStatus } from '../types/training';

export interface ApiEvents {
  'training.status': TrainingStatus;
  'training.metrics': { dir: string; rows: MetricRow[] };
  'training.sample': { dir: string; grid: SampleGridInfo };
  /** `phase: 'upload'`: the files of an image folder going to a remote engine (done/total in files). */
  'import.progress': { done: number; total: number; file?: string; phase?: 'upload' };
  'import.report': ImportReport;
  'export.progress': ExportProgress;
  'eval.progress': EvalProgress;
  /** A projection, direction discovery or feature optimisation under way (see invertContract). */
  'invert.progress': AnalysisProgress;
  /** The engine repaired or set aside something in a project (see ProjectNotice). */
  'project.notice': ProjectNotice & { dir: string };
  /** New label-free scores and run-health notices of a project (training, or scoring on demand). */
  'training.health': HealthUpdate;
  /** Progress of scoring on demand or of a data check (`dir`: the project or the folder checked). */
  'health.progress': HealthProgress;
  /** A native menu item or shell action the renderer carries out (File > New project...). */
  'app.command': AppCommand;
  /** The engine the app drives changed, dropped, or came back (docs/server.md). */
  'engine.connection': EngineConnection;
}

export type AppCommand =
  | { command: 'new-project' }
  | { command: 'open-project'; dir: string }
  | { command: 'show-start' }
  | { command: 'export-grid' }
  | { command: 'connect-engine' };

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
  'invert.progress': true,
  'project.notice': true,
  'training.health': true,
  'health.progress': true,
  'app.command': true,
  'engine.connection': true,
};
export const apiEventNames = Object.keys(eventNameSet) as ApiEventName[];

/** How any part of the engine sends an event. */
export type Emit = <E extends ApiEventName>(event: E, payload: ApiEvents[E]) => void;
