/** What every API module of the engine shares: events, workers, running trainings. */
import path from 'node:path';
import type { ApiEventName, ApiEvents, GanvasApi } from '../../shared/contract';
import { WorkerClient } from '../worker/worker-client';
import { RecentProjects } from './recent';
import { TrainingRuns } from './training-runs';

/** Native dialogs are the shell's (Electron main, e2e bridge); the engine implements the rest. */
export type EngineApi = Omit<GanvasApi, 'chooseDirectory' | 'chooseSaveFile'>;

export interface EngineContext {
  emit<E extends ApiEventName>(event: E, payload: ApiEvents[E]): void;
  /** The long-lived inference worker (sampling, walks, features, evaluation); started on first use. */
  inference(): WorkerClient;
  runs: TrainingRuns;
  recent: RecentProjects;
  stateDir: string;
  resolveDir(dir: string): string;
}

export function createContext(stateDir: string, emit: EngineContext['emit']): EngineContext & { dispose(): Promise<void> } {
  let worker: WorkerClient | null = null;
  return {
    emit,
    inference: () => {
      if (!worker || worker.exited) worker = new WorkerClient(emit);
      return worker;
    },
    runs: new TrainingRuns(emit),
    recent: new RecentProjects(stateDir),
    stateDir,
    resolveDir: (dir) => path.resolve(dir),
    async dispose() {
      await this.runs.stopAll();
      await worker?.close();
    },
  };
}
