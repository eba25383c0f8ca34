/**
 * Messages between the engine and a compute host. The same messages travel over a child
 * process's IPC channel (process-host.ts) and, without serialisation, inside one process
 * (in-process-host.ts). Requests carry an id, replies echo it, events carry none.
 */
import type { ApiArgs, ApiEventName, ApiEvents, ApiOutput, WorkerMethod } from '../../shared/contract';
import type { ErrorCode } from '../../shared/errors';
import type { BackendChoice, TrainingStatus, TrainTarget } from '../../shared/types';
import type { DeviceReply, DeviceRequest } from './browser/device-protocol';
import type { WindowState } from './browser/windows';

/** A contract method that runs in a compute host, with its payload (dir resolved). */
export interface TaskRequest<K extends WorkerMethod = WorkerMethod> {
  kind: 'task';
  name: K;
  args: ApiArgs<K>;
  /** The engine's compute windows, for tasks that draw (absent when it has none). */
  window?: WindowState;
}

/** Long-running: answered when training stops or reaches its target. */
export interface TrainRequest {
  kind: 'train';
  dir: string;
  target: TrainTarget;
  backend?: BackendChoice;
  /** The engine's compute windows (WebGPU); absent when it has none (CLI, server). */
  window?: WindowState;
  /** Data-parallel workers on the CPU backends (absent: automatic). */
  workers?: number;
}

/** Pause, resume or stop the host's training run (answered at once). */
export interface ControlRequest {
  kind: 'control';
  action: 'pause' | 'resume' | 'stop';
}

export type HostRequest = TaskRequest | TrainRequest | ControlRequest;

export type HostReply<R extends HostRequest> =
  R extends TaskRequest<infer K> ? ApiOutput<K> : R extends TrainRequest ? TrainingStatus : null;

/** Device messages travel between a host and its compute window through the engine. */
export type ParentMessage = { id: number; request: HostRequest } | { cancel: number } | { device: DeviceReply };

export type ChildMessage =
  | { id: number; result: unknown }
  | { id: number; error: string; code: ErrorCode; field?: string; reason?: string }
  | { event: ApiEventName; payload: ApiEvents[ApiEventName] }
  | { device: DeviceRequest }
  /** The host will not use its compute window (it probed one and chose a Node backend): close it. */
  | { releaseWindow: true };
