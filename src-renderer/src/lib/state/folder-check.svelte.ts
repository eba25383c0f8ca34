import type { FolderCheck, GanvasBridge, HealthProgress } from '../api-types';
import { reportFailure, type Notify } from './notify';

/** What the images will be trained at: the count thresholds depend on it. */
export interface FolderCheckTarget {
  size?: 28 | 32 | 64 | 128;
  channels?: 1 | 3;
  ngf?: number;
}

const keyOf = (path: string, t: FolderCheckTarget) => JSON.stringify([path, t.size, t.channels, t.ngf]);

/**
 * The data check of the wizard's image folder (issue 18), made before a project exists: image
 * count against the model's size, duplicate groups with thumbnails, aspect, tiny sources, grey
 * mixed with colour. A new folder or target cancels the check running and starts another; only
 * the newest answer is kept.
 */
export class FolderCheckState {
  result = $state.raw<FolderCheck | null>(null);
  /** The folder `result` (or the running check) is about. */
  path = $state('');
  running = $state(false);
  progress = $state.raw<HealthProgress | null>(null);
  #key = '';
  #request = 0;
  readonly #unsubscribe: () => void;

  constructor(
    private readonly api: GanvasBridge,
    private readonly notify: Notify,
  ) {
    this.#unsubscribe = api.on('health.progress', (p) => {
      if (this.running && p.dir === this.path) this.progress = p;
    });
  }

  /** Checks `path` for `target` unless that is what was checked last (an empty path clears the check). */
  follow(path: string, target: FolderCheckTarget): void {
    if (!path) {
      void this.cancel();
      this.result = null;
      this.path = '';
      return;
    }
    if (keyOf(path, target) !== this.#key) void this.check(path, target);
  }

  /** Checks `path` now, replacing any check running. */
  async check(path: string, target: FolderCheckTarget): Promise<void> {
    await this.#cancelRunning();
    const request = ++this.#request;
    this.#key = keyOf(path, target);
    this.path = path;
    this.result = null;
    this.progress = null;
    this.running = true;
    try {
      const result = await this.api.checkFolder({ path, ...target });
      if (request === this.#request) this.result = result;
    } catch (error) {
      // A superseded check was cancelled on purpose; a failed newest one says why (and may be retried).
      if (request === this.#request) {
        this.#key = '';
        reportFailure(this.notify, error, 'Data check cancelled.');
      }
    } finally {
      if (request === this.#request) {
        this.running = false;
        this.progress = null;
      }
    }
  }

  /** Stops the running check; the folder can be checked again later. */
  async cancel(): Promise<void> {
    this.#request++;
    this.#key = '';
    if (!this.running) return;
    await this.#cancelRunning();
    this.notify.info('Data check cancelled.');
  }

  dispose(): void {
    this.#unsubscribe();
    void this.#cancelRunning();
  }

  async #cancelRunning(): Promise<void> {
    if (!this.running) return;
    const path = this.path;
    this.running = false;
    this.progress = null;
    try {
      await this.api.checkFolderCancel({ path });
    } catch (error) {
      reportFailure(this.notify, error);
    }
  }
}
