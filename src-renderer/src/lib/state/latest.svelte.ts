import { reportFailure, type Notify } from './notify';

/**
 * One kind of engine request a view makes again and again (a layer's filters, a page of gallery
 * samples, a walk's frames): the newest answer, whether one is running, and "newest request
 * wins", so a slow older answer never replaces a newer one. Failures of the newest request are
 * reported; those of superseded ones are dropped.
 */
export class Latest<T> {
  value = $state.raw<T | null>(null);
  busy = $state(false);
  #request = 0;

  constructor(private readonly notify: Notify) {}

  /**
   * Runs `call`; its answer becomes `value` unless a newer run (or `clear`) came meanwhile.
   * `current()` tells a call made of several steps whether it is still the newest, so it can
   * stop between them. Resolves to the answer, or undefined when superseded or failed.
   */
  async run(call: (current: () => boolean) => Promise<T>): Promise<T | undefined> {
    const request = ++this.#request;
    const current = () => request === this.#request;
    this.busy = true;
    try {
      const value = await call(current);
      if (!current()) return undefined;
      this.value = value;
      return value;
    } catch (error) {
      if (current()) reportFailure(this.notify, error);
      return undefined;
    } finally {
      if (current()) this.busy = false;
    }
  }

  /** Forgets the answer and any request still running. */
  clear(): void {
    this.#request++;
    this.value = null;
    this.busy = false;
  }
}
