/**
 * Messages between the engine (parent) and a compute worker (child process).
 * Plain JSON over Node's IPC channel: requests carry an id, replies echo it, events carry none.
 */
import type { ApiEventName, ApiEvents } from '../../shared/contract';
import type { BackendChoice, BackendReport, TrainingStatus } from '../../shared/types';

export interface WorkerMethods {
  backends: { args: { backend?: BackendChoice }; result: BackendReport };
  /** Long-running: resolves when training stops or reaches its target. */
  train: { args: { dir: string; steps?: number; epochs?: number; backend?: BackendChoice }; result: TrainingStatus };
  pause: { args: Record<string, never>; result: null };
  resume: { args: Record<string, never>; result: null };
  stop: { args: Record<string, never>; result: null };
  /** An inference task from tasks.ts, by name. */
  task: { args: { name: string; args: unknown }; result: unknown };
}
export type WorkerMethod = keyof WorkerMethods;

export type ParentMessage = { id: number; method: WorkerMethod; args: unknown };

export type ChildMessage =
  | { id: number; result: unknown }
  | { id: number; error: string }
  | { event: ApiEventName; payload: ApiEvents[ApiEventName] };
