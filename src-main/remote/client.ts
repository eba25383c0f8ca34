/**
 * The client side of a `ganvas serve` connection (Node: the desktop's main process, the bench,
 * tests). Calls and their results, the server's events, file chunks both ways, over the one
 * socket; after an unexpected drop it reconnects by itself (the server kept running: a training
 * run goes on) and says so, so the app can re-read what changed meanwhile.
 */
import WebSocket from 'ws';
import { GanvasError, fromWire, refused } from '../shared/errors';
import type { ServerInfo } from '../shared/types/connection';
import { dataHeader, decodeBinary, encodeBinary, limits, PROTOCOL_VERSION, serverMessage, type ChunkHeader } from './protocol';

export type ClientState = 'connected' | 'reconnecting' | 'closed';

export interface ClientOptions {
  /** Reconnect after a drop (default true); the delays grow from 0.5 s to `maxBackoffMs`. */
  reconnect?: boolean;
  maxBackoffMs?: number;
  /** TLS: extra trusted certificate authorities (PEM), e.g. a self-signed server's certificate. */
  ca?: string | Buffer;
  /** How long connecting and authenticating may take. */
  timeoutMs?: number;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  /** Download bytes, for `download` requests. */
  onData?(offset: number, bytes: Buffer): void;
}

/** Why connecting failed, as a person reads it. */
function connectError(url: string, err: Error & { code?: string }): GanvasError {
  if (err instanceof GanvasError) return err;
  const code = err.code ? ` (${err.code})` : '';
  return new GanvasError(
    'not-found',
    `Could not reach an engine at ${url}${code}: is \`ganvas serve\` running there, and the address right?`,
  );
}

export class RemoteEngine {
  state: ClientState = 'connected';
  info!: ServerInfo;
  private ws!: WebSocket;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private eventListeners = new Set<(name: string, payload: unknown) => void>();
  private stateListeners = new Set<(state: ClientState, detail?: string) => void>();
  private closedByUs = false;
  private retry: NodeJS.Timeout | null = null;

  private constructor(
    readonly url: string,
    private readonly token: string,
    private readonly options: ClientOptions,
  ) {}

  /** Connects and authenticates; rejects with a readable error (unreachable, wrong token). */
  static async connect(url: string, token: string, options: ClientOptions = {}): Promise<RemoteEngine> {
    const client = new RemoteEngine(url, token, options);
    await client.open();
    return client;
  }

  private open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url, {
        maxPayload: limits.clientMaxFrame,
        perMessageDeflate: false,
        handshakeTimeout: this.options.timeoutMs ?? 10_000,
        ...(this.options.ca && { ca: this.options.ca }),
      });
      let settled = false;
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        ws.terminate();
        reject(connectError(this.url, err));
      };
      const timer = setTimeout(
        () => fail(new GanvasError('not-found', `The engine at ${this.url} did not answer in time`)),
        this.options.timeoutMs ?? 10_000,
      );
      ws.once('open', () => ws.send(JSON.stringify({ t: 'hello', token: this.token, protocol: PROTOCOL_VERSION })));
      ws.on('error', (err) => fail(err));
      ws.on('close', (code, reason) => {
        clearTimeout(timer);
        if (!settled) fail(new GanvasError('refused', `The engine at ${this.url} closed the connection (${code} ${reason.toString()})`));
        else if (this.ws === ws) this.onDrop(`closed (${code}${reason.length ? ` ${reason.toString()}` : ''})`);
      });
      ws.on('message', (data: Buffer, isBinary) => {
        if (isBinary) return this.onData(data);
        let json: unknown;
        try {
          json = JSON.parse(data.toString('utf8'));
        } catch {
          return; // not ours to read: never let a bad frame throw in this process
        }
        const parsed = serverMessage.safeParse(json);
        if (!parsed.success) {
          // A result we cannot read still ends its request, rather than leaving it waiting forever.
          const id = (json as { id?: unknown })?.id;
          const p = typeof id === 'number' ? this.pending.get(id) : undefined;
          this.pending.delete(id as number);
          p?.reject(new GanvasError('internal', `The engine at ${this.url} sent a malformed answer`));
          return;
        }
        const message = parsed.data;
        if (message.t === 'welcome') {
          clearTimeout(timer);
          settled = true;
          this.ws = ws;
          this.info = message.server;
          return resolve();
        }
        if (message.t === 'denied')
          return fail(new GanvasError('refused', `The engine at ${this.url} refused the connection: ${message.message}`));
        if (message.t === 'event') for (const l of this.eventListeners) l(message.name, message.payload);
        if (message.t === 'result') {
          const p = this.pending.get(message.id);
          if (!p) return;
          this.pending.delete(message.id);
          if (message.ok) p.resolve(message.value);
          else p.reject(fromWire(new Error(message.error)));
        }
      });
    });
  }

  private onData(frame: Buffer): void {
    try {
      const { header, bytes } = decodeBinary(frame);
      const h = dataHeader.parse(header);
      this.pending.get(h.id)?.onData?.(h.offset, bytes);
    } catch {
      /* a frame we cannot read: its request fails on its result */
    }
  }

  private setState(state: ClientState, detail?: string): void {
    this.state = state;
    for (const l of this.stateListeners) l(state, detail);
  }

  private onDrop(why: string): void {
    const lost = new GanvasError('refused', `Lost the connection to the engine at ${this.url} (${why}); reconnecting…`);
    const pending = [...this.pending.values()];
    this.pending.clear();
    // The state first: whoever sees a request fail can tell a drop from an answer.
    const again = !this.closedByUs && this.options.reconnect !== false;
    this.setState(again ? 'reconnecting' : 'closed', why);
    for (const p of pending) p.reject(lost);
    if (again) this.scheduleReconnect(500);
  }

  private scheduleReconnect(delay: number): void {
    this.retry = setTimeout(() => {
      this.retry = null;
      if (this.closedByUs) return;
      this.open().then(
        () => this.setState('connected'),
        (err: Error) => {
          // A server that now refuses the token will not change its mind: stop trying.
          if (err instanceof GanvasError && err.code === 'refused' && /token/.test(err.message))
            return this.setState('closed', err.message);
          this.scheduleReconnect(Math.min(delay * 2, this.options.maxBackoffMs ?? 5000));
        },
      );
    }, delay);
  }

  /** Sends one request and waits for its result. */
  request(message: Record<string, unknown>, onData?: Pending['onData']): Promise<unknown> {
    if (this.state !== 'connected' || this.ws.readyState !== WebSocket.OPEN) {
      return Promise.reject(refused(`Not connected to the engine at ${this.url} (${this.state}); try again in a moment`));
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onData });
      this.ws.send(JSON.stringify({ ...message, id }));
    });
  }

  call(method: string, payload: unknown): Promise<unknown> {
    return this.request({ t: 'call', method, payload });
  }

  /** Sends one upload chunk; resolves with the file's size on the server once it is written. */
  sendChunk(header: Omit<ChunkHeader, 'id' | 't'>, bytes: Uint8Array): Promise<number> {
    if (this.state !== 'connected') return Promise.reject(refused(`Not connected to the engine at ${this.url}`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: (v) => resolve(v as number), reject });
      this.ws.send(encodeBinary({ t: 'chunk', id, ...header }, bytes));
    });
  }

  /** Bytes the client has queued and not yet written to the network (back-pressure). */
  get buffered(): number {
    return this.ws?.bufferedAmount ?? 0;
  }

  /** A file under the server's root, whole; `remove` deletes a server-made export afterwards. */
  async download(serverPath: string, remove = false): Promise<Buffer> {
    const parts: Buffer[] = [];
    let received = 0;
    const result = (await this.request({ t: 'download', path: serverPath, remove }, (offset, bytes) => {
      if (offset !== received) throw new Error('download bytes out of order');
      parts.push(Buffer.from(bytes));
      received += bytes.length;
    })) as { size: number };
    if (received !== result.size)
      throw new GanvasError('damaged', `The download of ${serverPath} stopped at ${received} of ${result.size} bytes`);
    return Buffer.concat(parts);
  }

  on(listener: (name: string, payload: unknown) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onState(listener: (state: ClientState, detail?: string) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Resolves once connected again (or rejects when closed or after `timeoutMs`). */
  whenConnected(timeoutMs: number): Promise<void> {
    if (this.state === 'connected') return Promise.resolve();
    if (this.state === 'closed') return Promise.reject(refused(`The connection to ${this.url} is closed`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(refused(`The engine at ${this.url} did not come back within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      const off = this.onState((state) => {
        if (state === 'reconnecting') return;
        clearTimeout(timer);
        off();
        if (state === 'connected') resolve();
        else reject(refused(`The connection to ${this.url} is closed`));
      });
    });
  }

  /** The raw socket, for tests that cut it. */
  get socket(): WebSocket {
    return this.ws;
  }

  close(): void {
    this.closedByUs = true;
    if (this.retry) clearTimeout(this.retry);
    this.ws?.close(1000, 'bye');
    this.setState('closed');
  }
}
