import { readableMessage } from '$shared/errors';
import type { BackendReport, EngineConnection, GanvasBridge, KnownEngine } from '../api-types';

/** What the app does when the engine it shows changes under it. */
export interface ConnectionHooks {
  /** Another engine now: its projects are not the ones on screen. */
  switched(): void;
  /** The same server is back after a drop: what is on screen may be behind (a run went on). */
  reconnected(): void;
}

const engineKey = (s: EngineConnection) => (s.mode === 'local' ? 'local' : (s.url ?? ''));

/**
 * Which engine the app drives (its own, or a `ganvas serve`), the servers it remembers, and the
 * Connect dialog's state. The main process holds the connection and the tokens; this only asks.
 */
export class ConnectionState {
  status = $state.raw<EngineConnection>({ mode: 'local', state: 'connected' });
  known = $state.raw<KnownEngine[]>([]);
  /** The remote engine's backend (the local one's shows in the project view). */
  backend = $state.raw<BackendReport | null>(null);
  dialogOpen = $state(false);
  busy = $state(false);
  error = $state('');
  #shown = 'local';

  constructor(
    private readonly api: GanvasBridge,
    private readonly hooks: ConnectionHooks,
  ) {
    api.on('engine.connection', (status) => this.#onStatus(status));
    void this.refresh();
  }

  /** "Local" or the server's host:port. */
  get label(): string {
    if (this.status.mode === 'local' || !this.status.url) return 'Local';
    return this.status.url.replace(/^wss?:\/\//, '');
  }

  async refresh(): Promise<void> {
    try {
      const [status, known] = await Promise.all([this.api.engineConnection({}), this.api.knownEngines({})]);
      this.known = known;
      this.#onStatus(status);
    } catch {
      /* an older shell without connections: stays local */
    }
  }

  open(): void {
    this.error = '';
    this.dialogOpen = true;
    void this.refresh();
  }

  /** Connects; false (with `error` set) when the server cannot be reached or refuses. */
  async connect(url: string, token: string, remember: boolean): Promise<boolean> {
    this.busy = true;
    this.error = '';
    try {
      await this.api.connectEngine({ url, token: token.trim() || undefined, remember });
      this.known = await this.api.knownEngines({});
      this.dialogOpen = false;
      return true;
    } catch (error) {
      this.error = readableMessage(error);
      return false;
    } finally {
      this.busy = false;
    }
  }

  async useLocal(): Promise<void> {
    await this.api.disconnectEngine({});
    this.dialogOpen = false;
  }

  async forget(url: string): Promise<void> {
    this.known = await this.api.forgetEngine({ url });
  }

  #onStatus(status: EngineConnection): void {
    this.status = status;
    if (status.state !== 'connected') return;
    const key = engineKey(status);
    if (key !== this.#shown) {
      this.#shown = key;
      this.hooks.switched();
    } else if (status.reconnected) this.hooks.reconnected();
    void this.#refreshBackend();
  }

  async #refreshBackend(): Promise<void> {
    if (this.status.mode === 'local') {
      this.backend = null;
      return;
    }
    try {
      this.backend = await this.api.backends({});
    } catch {
      this.backend = null;
    }
  }
}
