/**
 * One client of a `ganvas serve`: its first message must be the token (nothing else is read
 * before it), then calls go to the engine through the contract's dispatch (validated there, as
 * from every door), file transfers to Transfers, and the engine's events come out to it.
 *
 * What a client starts that only it wants (an export) is cancelled when it vanishes; what the
 * server owns (a training run, an evaluation) goes on.
 */
import fsp from 'node:fs/promises';
import WebSocket from 'ws';
import { z } from 'zod';
import { apiContract, isShellMethod, type ApiMethod } from '../shared/contract';
import { refused, toWire } from '../shared/errors';
import type { ServerInfo } from '../shared/types/connection';
import {
  chunkHeader,
  clientMessage,
  closeCodes,
  dataHeader,
  decodeBinary,
  describeIssue,
  encodeBinary,
  PROTOCOL_VERSION,
  type Limits,
  type ClientMessage,
  type ServerMessage,
} from '../remote/protocol';
import { tokenMatches } from './auth';
import { sendPaced } from './backpressure';
import type { Transfers } from './transfers';

/** The engine as a server sees it (engine/api/engine-api.ts's EngineHost has these). */
export interface ServedEngine {
  call(name: ApiMethod, payload: unknown): Promise<unknown>;
}

export interface ConnectionDeps {
  engine: ServedEngine;
  token: string;
  info: ServerInfo;
  transfers: Transfers;
  limits: Limits;
  log(line: string): void;
  /** Shared with the server: the most bytes ever queued on one client's socket (back-pressure at work). */
  stats: { peakQueuedBytes: number };
}

export type Reply = { ok: true; value: unknown } | { ok: false; error: string };

let exportCounter = 0;

export class ClientConnection {
  authenticated = false;
  /** Exports this client started and has not had answered: cancelled if it vanishes. */
  private exports = new Set<string>();
  /** Upload chunks are written one after another, in the order they came. */
  private chunkQueue: Promise<void> = Promise.resolve();
  private readonly authTimer: NodeJS.Timeout;

  constructor(
    readonly ws: WebSocket,
    readonly address: string,
    private readonly deps: ConnectionDeps,
  ) {
    this.authTimer = setTimeout(() => this.close(closeCodes.authTimeout, 'authenticate within 10 s'), deps.limits.authTimeoutMs);
    ws.on('message', (data: Buffer, isBinary) => this.onMessage(data, isBinary));
    ws.on('close', () => this.onClose());
    // A reset socket, a protocol error from the library: the connection ends, the server goes on.
    ws.on('error', (err) => deps.log(`client ${address}: ${err.message}`));
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  close(code: number, reason: string): void {
    // A close frame's reason may be at most 123 bytes; a longer one would throw half-way through closing.
    const short = Buffer.from(reason)
      .subarray(0, 120)
      .toString('utf8')
      .replace(/\uFFFD$/, '');
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code, short);
  }

  /** A message; a client that stopped reading and has too much queued (results, events) is let go. */
  send(message: ServerMessage): void {
    if (!this.open) return;
    if (this.ws.bufferedAmount > this.deps.limits.slowClientBytes) {
      this.deps.log(`client ${this.address}: dropped, it stopped reading (${this.ws.bufferedAmount} bytes queued)`);
      this.ws.terminate();
      return;
    }
    this.ws.send(JSON.stringify(message));
  }

  /** An engine event (to authenticated clients only). */
  sendEvent(name: string, payload: unknown): void {
    if (this.authenticated) this.send({ t: 'event', name, payload });
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (!this.authenticated) return this.onHello(data, isBinary);
    if (isBinary) return this.onChunk(data);
    let message: ClientMessage;
    try {
      const parsed = clientMessage.safeParse(JSON.parse(data.toString('utf8')));
      if (!parsed.success) {
        const id = (JSON.parse(data.toString('utf8')) as { id?: unknown })?.id;
        if (typeof id === 'number')
          this.reply(id, { ok: false, error: toWire(refused(`Malformed message: ${describeIssue(parsed.error)}`)).message });
        else this.close(closeCodes.protocol, `malformed message: ${describeIssue(parsed.error)}`);
        return;
      }
      message = parsed.data;
    } catch {
      return this.close(closeCodes.protocol, 'a text frame that is not JSON');
    }
    void this.handle(message);
  }

  private onHello(data: Buffer, isBinary: boolean): void {
    // Nothing before the token is read beyond this small frame: no calls, no events, no files.
    if (isBinary || data.length > this.deps.limits.preAuthMaxFrame) return this.close(closeCodes.protocol, 'authenticate first');
    let hello: z.infer<typeof clientMessage> | null = null;
    try {
      const parsed = clientMessage.safeParse(JSON.parse(data.toString('utf8')));
      hello = parsed.success ? parsed.data : null;
    } catch {
      /* not JSON */
    }
    clearTimeout(this.authTimer);
    if (hello?.t !== 'hello') return this.deny('The first message must be the token (hello)');
    if (hello.protocol !== PROTOCOL_VERSION)
      return this.deny(`This server speaks protocol ${PROTOCOL_VERSION}, the client ${hello.protocol}: update the older one`);
    if (!tokenMatches(this.deps.token, hello.token)) {
      this.deps.log(`client ${this.address}: wrong token`);
      return this.deny('The server refused the token: paste the token `ganvas serve` printed (or read its token file)');
    }
    this.authenticated = true;
    this.deps.log(`client ${this.address}: connected`);
    this.send({ t: 'welcome', protocol: PROTOCOL_VERSION, server: this.deps.info });
  }

  private deny(message: string): void {
    this.send({ t: 'denied', message });
    this.close(closeCodes.unauthorized, 'unauthorized');
  }

  private reply(id: number, reply: Reply): void {
    // JSON drops an undefined value (a method that answers nothing): send null, so the result stays a result.
    this.send(reply.ok ? { t: 'result', id, ok: true, value: reply.value ?? null } : { t: 'result', id, ...reply });
  }

  private async handle(message: ClientMessage): Promise<void> {
    if (message.t === 'hello') return;
    const id = message.id;
    try {
      switch (message.t) {
        case 'call':
          return this.reply(id, { ok: true, value: await this.call(message.method, message.payload) });
        case 'upload-status':
          return this.reply(id, { ok: true, value: await this.deps.transfers.status(message.upload, message.files) });
        case 'upload-done':
          return this.reply(id, { ok: true, value: await this.deps.transfers.finish(message.upload, message.files) });
        case 'upload-remove':
          return this.reply(id, { ok: true, value: await this.deps.transfers.remove(message.upload) });
        case 'download':
          return this.reply(id, { ok: true, value: await this.download(id, message.path, message.remove ?? false) });
      }
    } catch (err) {
      this.reply(id, { ok: false, error: toWire(err).message });
    }
  }

  private async call(method: string, payload: unknown): Promise<unknown> {
    if (!(method in apiContract)) throw refused(`Unknown method ${method}`);
    const name = method as ApiMethod;
    // Native dialogs belong to the desktop; a server has none to show (and they would grant paths).
    if (isShellMethod(name)) throw refused(`${name} is answered by the desktop app: a remote engine has no dialogs`);
    if (name !== 'exportWalk' || !payload || typeof payload !== 'object') return this.deps.engine.call(name, payload);
    // An export gets an id (its job key) so that it can be cancelled if this client vanishes.
    const withId = payload as Record<string, unknown>;
    const exportId = typeof withId.id === 'string' ? withId.id : `remote-${process.pid}-${++exportCounter}`;
    this.exports.add(exportId);
    try {
      return await this.deps.engine.call(name, { ...withId, id: exportId });
    } finally {
      this.exports.delete(exportId);
    }
  }

  private onChunk(frame: Buffer): void {
    let header;
    let bytes: Buffer;
    try {
      const decoded = decodeBinary(frame);
      header = chunkHeader.parse(decoded.header);
      bytes = decoded.bytes;
    } catch {
      return this.close(closeCodes.protocol, 'a binary frame that is not an upload chunk');
    }
    this.chunkQueue = this.chunkQueue.then(async () => {
      try {
        this.reply(header.id, { ok: true, value: await this.deps.transfers.writeChunk(header, bytes) });
      } catch (err) {
        this.reply(header.id, { ok: false, error: toWire(err).message });
      }
    });
  }

  /** Streams a file as data frames, pacing them to what the client reads. */
  private async download(id: number, p: string, remove: boolean): Promise<{ size: number }> {
    const { file, size, removable } = await this.deps.transfers.openDownload(p);
    if (remove && !removable) throw refused('Only an export the server wrote for a client can be removed after download');
    const fh = await fsp.open(file, 'r');
    try {
      const buffer = Buffer.allocUnsafe(this.deps.limits.chunkBytes);
      for (let offset = 0; offset < size;) {
        const { bytesRead } = await fh.read(buffer, 0, Math.min(buffer.length, size - offset), offset);
        if (bytesRead <= 0) break;
        const header = dataHeader.parse({ t: 'data', id, offset });
        const sent = sendPaced(this.ws, encodeBinary(header, buffer.subarray(0, bytesRead)), this.deps.limits.highWater);
        this.deps.stats.peakQueuedBytes = Math.max(this.deps.stats.peakQueuedBytes, this.ws.bufferedAmount);
        await sent;
        offset += bytesRead;
      }
    } finally {
      await fh.close();
    }
    if (remove) await fsp.rm(file, { force: true });
    return { size };
  }

  private onClose(): void {
    clearTimeout(this.authTimer);
    if (this.authenticated) this.deps.log(`client ${this.address}: gone`);
    for (const id of this.exports) void this.deps.engine.call('cancelExport', { id }).catch(() => undefined);
    this.exports.clear();
  }
}
