/**
 * Mirrors training in the OS shell: taskbar/dock progress while a run is active, and a
 * notification when it ends (the window is often in the background during a long run).
 */
import { BrowserWindow, Notification } from 'electron';
import type { TrainingState, TrainingStatus } from '../shared/types';
import type { EngineLike } from './ipc';

export interface TaskbarProgress {
  value: number;
  mode: 'none' | 'normal' | 'indeterminate' | 'paused' | 'error';
}

/** setProgressBar's arguments for a status: a fraction when the run has a target, else indeterminate. */
export function taskbarProgress(status: TrainingStatus): TaskbarProgress {
  const fraction = status.targetStep > 0 ? Math.min(1, status.step / status.targetStep) : -1;
  switch (status.state) {
    case 'starting':
    case 'running':
      return fraction >= 0 ? { value: fraction, mode: 'normal' } : { value: 2, mode: 'indeterminate' };
    case 'paused':
      return { value: Math.max(0, fraction), mode: 'paused' };
    case 'error':
      return { value: 1, mode: 'error' };
    default:
      return { value: -1, mode: 'none' };
  }
}

const activeStates: TrainingState[] = ['starting', 'running', 'paused', 'stopping'];

/** Text of the "run ended" notification, or null when this status change is not an ending. */
export function endOfRunNotice(previous: TrainingState | undefined, status: TrainingStatus): { title: string; body: string } | null {
  if (!previous || !activeStates.includes(previous)) return null;
  const name = status.dir.split(/[\\/]/).filter(Boolean).pop() ?? status.dir;
  if (status.state === 'finished') return { title: 'Training finished', body: `${name}: reached step ${status.step}.` };
  if (status.state === 'error') return { title: 'Training failed', body: `${name}: ${status.message ?? 'the run stopped with an error.'}` };
  return null;
}

export function setupProgress(engine: EngineLike, getWindow: () => BrowserWindow | null): () => void {
  const lastState = new Map<string, TrainingState>();
  return engine.on('training.status', (status) => {
    const window = getWindow();
    if (window && !window.isDestroyed()) {
      const { value, mode } = taskbarProgress(status);
      window.setProgressBar(value, { mode });
    }
    const notice = endOfRunNotice(lastState.get(status.dir), status);
    lastState.set(status.dir, status.state);
    if (notice && Notification.isSupported()) new Notification(notice).show();
  });
}
