/**
 * The engine's side of a compute host: typed requests and replies, events, cancellation and
 * shutdown, over any channel (channels.ts: a forked Node process, the CLI's own process, or an
 * Electron utility process that the desktop shell provides).
 */
import type { ApiArgs, ApiOutput, Emit, WorkerMethod } from '../../shared/contract';
import { cancelled, GanvasError } from '../../shared/errors';
import type { DeviceRequest } from './browser/device-protocol';
import type { ComputeWindows, DeviceLink, WindowState } from './browser/windows';
import type { ChildMessage, HostReply, HostRequest, ParentMessage } from './protocol';

/** A way to reach a compute host's ComputeWorker. */
export interface HostChannel {
  send(message: ParentMessage): void;
  onMessage(listener: (message: ChildMessage) => void): void;
  /** Called once when the host has gone, with why (for the error of any pending request). */
  onExit(listener: (why: string) => void): void;
  /** Ends the host now. */
  kill(): void;
  /** Lets the host finish what it is doing and exit by itself (a stopping run writes its checkpoint). */
  disconnect(): void;
}

export type ChannelFactory = () => HostChannel;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export class ComputeHost {
  private readonly channel: HostChannel;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private exitHandlers: ((why: string) => void)[] = [];
  private window: Promise<DeviceLink> | null = null;
  exited = false;

  /** @param windows how this engine opens compute windows (none: the CLI, a server) */
  constructor(
    open: ChannelFactory,
    onEvent: Emit,
    private readonly windows?: ComputeWindows,
  ) {
    this.channel = open();
    this.channel.onMessage((msg) => {
      if ('event' in msg) return onEvent(msg.event, msg.payload as never);
      if ('device' in msg) return this.relay(msg.device);
      if ('releaseWindow' in msg) return this.closeWindow();
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if ('error' in msg) p.reject(new GanvasError(msg.code, msg.error, msg.field, msg.reason));
      else p.resolve(msg.result);
    });
    this.channel.onExit((why) => {
      this.exited = true;
      const error = new GanvasError('internal', why);
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
      for (const h of this.exitHandlers) h(why);
      this.closeWindow();
    });
  }

  /** What a training request tells the host about compute windows. */
  windowState(): WindowState | undefined {
    return this.windows?.state();
  }

  /** Passes a host's call to its compute window, opening one on first use; the window's replies go back. */
  private relay(request: DeviceRequest): void {
    const reply = (error: string) => this.channel.send({ device: { id: request.id, error } });
    if (!this.windows) return reply('This engine has no compute window (the CLI and `ganvas serve` train on the Node backends)');
    // Only probe and open start a window: a step or snapshot sent as the last one went is for
    // networks that no longer exist anywhere.
    const starts = request.call.op === 'probe' || request.call.op === 'open';
    if (!this.window && !starts) return this.channel.send({ device: { lost: 'the compute window is gone' } });
    this.window ??= this.windows.open().then((link) => {
      // An answer can arrive after the host has gone (its last 'close' call): nobody left to tell.
      link.onReply((answer) => {
        // A window whose GPU device is lost can run nothing more: close it (the next run opens a new one).
        if ('lost' in answer) {
          this.windows?.noteLost(answer.lost);
          this.closeWindow();
        }
        if (!this.exited) this.channel.send({ device: answer });
      });
      link.onClose((why) => {
        this.window = null;
        if (!this.exited) this.channel.send({ device: { lost: why } });
      });
      return link;
    });
    this.window.then(
      (link) => link.send(request),
      (error: Error) => {
        this.window = null;
        reply(`The compute window could not be opened: ${error.message}`);
      },
    );
  }

  private closeWindow(): void {
    const window = this.window;
    this.window = null;
    void window?.then(
      (link) => link.close(),
      () => undefined,
    );
  }

  onExit(handler: (why: string) => void): void {
    this.exitHandlers.push(handler);
  }

  /** Sends a request; aborting `signal` asks the host to cancel it (the reply is then a 'cancelled' error). */
  request<R extends HostRequest>(request: R, signal?: AbortSignal): Promise<HostReply<R>> {
    if (this.exited) return Promise.reject(new GanvasError('internal', 'The compute process is not running'));
    // An 'abort' listener added to an already-aborted signal never fires: refuse here, or the task would run to its end.
    if (signal?.aborted) return Promise.reject(cancelled());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.channel.send({ id, request });
      signal?.addEventListener('abort', () => this.pending.has(id) && this.channel.send({ cancel: id }), { once: true });
    });
  }

  /** Runs a contract task in the host, typed end to end. */
  task<K extends WorkerMethod>(name: K, args: ApiArgs<K>, signal?: AbortSignal): Promise<ApiOutput<K>> {
    return this.request({ kind: 'task', name, args, window: this.windowState() }, signal) as Promise<ApiOutput<K>>;
  }

  /** Ends the host; `graceMs` lets a stopping run finish its checkpoint first. */
  async close(graceMs = 0): Promise<void> {
    this.closeWindow();
    if (this.exited) return;
    const done = new Promise<void>((resolve) => this.onExit(() => resolve()));
    if (graceMs > 0) {
      this.channel.disconnect();
      const timer = setTimeout(() => this.channel.kill(), graceMs);
      await done;
      clearTimeout(timer);
    } else {
      this.channel.kill();
      await done;
    }
  }
}
