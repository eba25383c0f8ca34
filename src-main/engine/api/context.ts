/** What every engine-side handler shares: events, compute hosts, running trainings and jobs. */
import type { Emit } from '../../shared/contract';
import type { ComputeWindows } from '../compute/browser/windows';
import { ComputeHost, type ChannelFactory } from '../compute/host';
import type { HandlerContext } from '../handler-types';
import { JobRegistry } from './jobs';
import { RecentProjects } from './recent';
import { TrainingRuns } from './training-runs';

export interface EngineContext extends HandlerContext {
  /** The long-lived compute host for interactive work (sampling, walks, inspection, evaluation); started on first use. */
  compute(): ComputeHost;
  /** A fresh compute host of its own (a training run, a dataset import); its events go to `onEvent`. */
  newHost(onEvent?: Emit): ComputeHost;
  runs: TrainingRuns;
  recent: RecentProjects;
  jobs: JobRegistry;
}

export function createContext(
  stateDir: string,
  emit: Emit,
  channel: ChannelFactory,
  windows?: ComputeWindows,
): EngineContext & { dispose(): Promise<void> } {
  let shared: ComputeHost | null = null;
  const newHost = (onEvent: Emit = emit) => new ComputeHost(channel, onEvent, windows);
  const jobs = new JobRegistry();
  const runs = new TrainingRuns(emit, newHost);
  return {
    emit,
    compute: () => {
      if (!shared || shared.exited) shared = newHost();
      return shared;
    },
    newHost,
    runs,
    recent: new RecentProjects(stateDir),
    jobs,
    async dispose() {
      jobs.cancelAll();
      await runs.stopAll();
      await shared?.close();
    },
  };
}
