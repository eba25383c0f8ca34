import { readableMessage } from '$shared/errors';

/**
 * One kind of engine request a view makes again and again (a layer's filters, a channel's top
 * samples): the newest answer, whether one is running, and "newest request wins", so a slow
 * older answer never replaces a newer one. Failures go to `report` as readable text.
 */
export class Latest<T> {
  value = $state.raw<T | null>(null);
  busy = $state(false);
  #request = 0;

  constructor(private readonly report: (message: string) => void) {}

  async run(call: () => Promise<T>): Promise<T | undefined> {
    const request = ++this.#request;
    this.busy = true;
    try {
      const value = await call();
      if (request === this.#request) this.value = value;
      return value;
    } catch (error) {
      if (request === this.#request) this.report(readableMessage(error));
      return undefined;
    } finally {
      if (request === this.#request) this.busy = false;
    }
  }

  clear(): void {
    this.#request++;
    this.value = null;
    this.busy = false;
  }
}
