/**
 * The engine the desktop's main process serves its window from: its own (local) or a
 * `ganvas serve` it is connected to. The renderer never knows which: its calls, over the same
 * IPC, are routed here, so its CSP stays strict and no token ever reaches the page.
 *
 * Remotely, files cross the wire where the contract declares paths: an image folder a new
 * project imports (`read`) is uploaded first, and a file an export writes (`write`) is written
 * on the server and then downloaded to the path the user chose. Both local paths still go
 * through the desktop's path grants, exactly as if the local engine used them.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { writeFileAtomic, type PathGuard } from '../engine/api/engine-api';
import {
  apiContract,
  apiEventNames,
  isConnectionMethod,
  isShellMethod,
  parseInput,
  type ApiArgs,
  type ApiEventName,
  type ApiEvents,
  type ApiMethod,
  type ConnectionMethod,
  type ShellMethod,
} from '../shared/contract';
import { fieldAt, withField } from '../shared/contract/fields';
import { invalid } from '../shared/errors';
import type { EngineConnection } from '../shared/types/connection';
import { RemoteEngine, type ClientState } from './client';
import { normalizeEngineUrl, type KnownEngines } from './known-engines';
import { uploadFolder, type SharedUpload } from './upload';

type Shell = (name: ShellMethod, input: unknown) => Promise<unknown>;
type Listener = (payload: never) => void;

/** The local engine as the switch needs it (engine/api/engine-api.ts's EngineHost). */
export interface LocalEngine {
  call(name: ApiMethod, payload: unknown, shell?: Shell): Promise<unknown>;
  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
}

export interface EngineSwitchOptions {
  local: LocalEngine;
  known: KnownEngines;
  /** The desktop's path grants: the local folder an upload reads and the file a download writes. */
  guard?: PathGuard;
  /** How to reach a server (tests pass their own). */
  connect?: (url: string, token: string) => Promise<RemoteEngine>;
}

/** Where a remote export is written before it is downloaded: under the server's root. */
const REMOTE_EXPORTS = '.ganvas/exports';

export class EngineSwitch {
  private remote: RemoteEngine | null = null;
  private status: EngineConnection = { mode: 'local', state: 'connected' };
  private listeners = new Map<ApiEventName, Set<Listener>>();
  private offRemote: (() => void)[] = [];

  constructor(private readonly options: EngineSwitchOptions) {
    for (const name of apiEventNames) options.local.on(name, (payload) => this.emit(name, payload));
  }

  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event)!.add(listener as Listener);
    return () => this.listeners.get(event)?.delete(listener as Listener);
  }

  private emit<E extends ApiEventName>(event: E, payload: ApiEvents[E]): void {
    for (const l of this.listeners.get(event) ?? []) (l as (p: ApiEvents[E]) => void)(payload);
  }

  get connection(): EngineConnection {
    return this.status;
  }

  /** Every call from the window: connection methods here, dialogs locally, the rest to the engine in use. */
  async call(name: ApiMethod, payload: unknown, shell?: Shell): Promise<unknown> {
    if (isConnectionMethod(name)) return this.answer(name, parseInput(name, payload));
    if (!this.remote || isShellMethod(name)) return this.options.local.call(name, payload, shell);
    return this.remoteCall(this.remote, name, payload);
  }

  private setStatus(status: EngineConnection): void {
    this.status = status;
    this.emit('engine.connection', status);
  }

  private async answer(name: ConnectionMethod, args: ApiArgs<ConnectionMethod>): Promise<unknown> {
    const { known } = this.options;
    switch (name) {
      case 'connectEngine':
        return this.connect(args as ApiArgs<'connectEngine'>);
      case 'disconnectEngine':
        this.dropRemote();
        this.setStatus({ mode: 'local', state: 'connected' });
        return this.status;
      case 'engineConnection':
        return this.status;
      case 'knownEngines':
        return known.list();
      case 'forgetEngine':
        known.forget(normalizeEngineUrl((args as ApiArgs<'forgetEngine'>).url));
        return known.list();
    }
  }

  private async connect({ url: typed, token: given, remember }: ApiArgs<'connectEngine'>): Promise<EngineConnection> {
    const url = normalizeEngineUrl(typed);
    const token = given ?? this.options.known.token(url);
    if (!token) throw invalid(`No token is remembered for ${url}: paste the token \`ganvas serve\` printed`);
    const before = this.status;
    this.setStatus({ mode: 'remote', state: 'connecting', url });
    let client: RemoteEngine;
    try {
      client = await (this.options.connect ?? ((u, t) => RemoteEngine.connect(u, t)))(url, token);
    } catch (err) {
      this.setStatus(before);
      throw err;
    }
    this.dropRemote();
    this.remote = client;
    this.offRemote = [
      client.on((event, payload) => apiEventNames.includes(event as ApiEventName) && this.emit(event as ApiEventName, payload as never)),
      client.onState((state, detail) => this.onRemoteState(client, state, detail)),
    ];
    this.options.known.remember(url, remember === false ? null : token);
    this.setStatus({ mode: 'remote', state: 'connected', url, server: client.info });
    return this.status;
  }

  private onRemoteState(client: RemoteEngine, state: ClientState, detail?: string): void {
    if (client !== this.remote) return;
    const base = { mode: 'remote' as const, url: client.url, server: client.info };
    if (state === 'reconnecting') return this.setStatus({ ...base, state: 'reconnecting', message: detail });
    if (state === 'connected') return this.setStatus({ ...base, state: 'connected', reconnected: true });
    // The server refused us for good (a new token): back to the local engine, saying why.
    this.dropRemote();
    this.setStatus({ mode: 'local', state: 'connected', message: detail });
  }

  private dropRemote(): void {
    for (const off of this.offRemote) off();
    this.offRemote = [];
    this.remote?.close();
    this.remote = null;
  }

  /** A call to the server, with the files its declared paths name carried across. */
  private async remoteCall(remote: RemoteEngine, name: ApiMethod, payload: unknown): Promise<unknown> {
    const decl = apiContract[name];
    // Validated here too: the local paths are read from the checked payload, and a bad payload
    // gets its message without a round trip.
    const args = parseInput(name, payload) as Record<string, unknown>;
    let sent = (payload ?? {}) as Record<string, unknown>;
    const downloads: { local: string; remote: string }[] = [];
    let upload: SharedUpload | null = null;
    for (const [field, use] of Object.entries(decl.paths ?? {})) {
      const local = fieldAt(args, field);
      if (typeof local !== 'string') continue;
      if (use === 'read') {
        await this.options.guard?.check('read', local);
        upload = await uploadFolder(remote, path.resolve(local), {
          onProgress: (p) => this.emit('import.progress', { ...p, phase: 'upload' }),
        });
        sent = withField(sent, field, upload.serverDir);
      } else {
        await this.options.guard?.check('write', local);
        const remotePath = `${REMOTE_EXPORTS}/${crypto.randomUUID()}${path.extname(local)}`;
        downloads.push({ local: path.resolve(local), remote: remotePath });
        sent = withField(sent, field, remotePath);
      }
    }
    let result: unknown;
    try {
      result = await remote.call(name, sent);
    } finally {
      // The project has its own copy of the images now (its dataset cache), or the call failed.
      await upload?.release();
    }
    for (const d of downloads) {
      writeFileAtomic(d.local, await remote.download(d.remote, true));
      result = replacePath(result, d.remote, d.local);
    }
    return result;
  }

  /** Closes the connection (the app is quitting): the server, and any run on it, go on. */
  close(): void {
    this.dropRemote();
  }
}

/** The result names the server's copy of a file: name the local one instead. */
function replacePath(result: unknown, remote: string, local: string): unknown {
  if (!result || typeof result !== 'object') return result;
  const tail = remote.split('/').at(-1)!;
  return Object.fromEntries(
    Object.entries(result).map(([k, v]) => [
      k,
      typeof v === 'string' && (v === remote || v.endsWith(`/${tail}`) || v.endsWith(`\\${tail}`)) ? local : v,
    ]),
  );
}
