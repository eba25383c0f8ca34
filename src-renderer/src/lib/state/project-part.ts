import type { GanvasBridge } from '../api-types';
import { CheckpointWatch } from './checkpoint-watch';
import { Latest } from './latest.svelte';
import type { Notify } from './notify';

/**
 * What the state of each part of an open project (a tab, a view) starts from: the API, the
 * project's folder and where to report. `open()` loads what the view first shows, once per
 * session: the view may be shown many times, and its state outlives it.
 */
export abstract class ProjectPart {
  #opened: Promise<void> | null = null;

  constructor(
    protected readonly api: GanvasBridge,
    readonly dir: string,
    protected readonly notify: Notify,
  ) {}

  open(): Promise<void> {
    return (this.#opened ??= this.firstLoad());
  }

  /** What `open()` runs the first time. */
  protected firstLoad(): Promise<void> {
    return Promise.resolve();
  }

  /** Calls `onChecked` with the newest checkpoint's step as training writes them, while `wanted()` (see CheckpointWatch). */
  protected watchCheckpoints(wanted: () => boolean, onChecked: (newest: number) => void): CheckpointWatch {
    return new CheckpointWatch(this.api, this.dir, wanted, onChecked);
  }

  /** A request made again and again, whose newest answer wins (see Latest). */
  protected latest<T>(): Latest<T> {
    return new Latest<T>(this.notify);
  }
}
