/**
 * `ganvas serve`: the engine behind the contract on a WebSocket (docs/server.md). One server
 * takes many clients; every engine event goes to every authenticated client; a client that
 * vanishes takes nothing with it but its own exports.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { apiEventNames, type ApiEventName, type ApiEvents } from '../shared/contract';
import type { ServerInfo } from '../shared/types/connection';
import { closeCodes, limits as defaultLimits, type Limits } from '../remote/protocol';
import { ClientConnection, type ServedEngine } from './connection';
import type { RootGuard } from './root-guard';
import { Transfers } from './transfers';

/** Events that stay on the desktop (menu commands, its own connection state). */
const LOCAL_ONLY_EVENTS = new Set<ApiEventName>(['app.command', 'engine.connection']);

export interface ServerOptions {
  engine: ServedEngine & { on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void };
  guard: RootGuard;
  token: string;
  host?: string;
  port?: number;
  /** PEM certificate and key: wss:// instead of ws://. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  info?: Partial<ServerInfo>;
  /** Tests shrink these. */
  limits?: Partial<Limits>;
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  host: string;
  port: number;
  /** Clients that have authenticated and are still connected. */
  clients(): number;
  /** The most bytes ever queued for one client (downloads wait above limits.highWater). */
  stats(): { peakQueuedBytes: number };
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const limits: Limits = { ...defaultLimits, ...options.limits };
  const log = options.log ?? (() => {});
  const host = options.host ?? '127.0.0.1';
  const transfers = new Transfers(options.guard);
  const info: ServerInfo = { version: 'dev', host: 'unknown', gpus: [], ...options.info, root: options.guard.root };
  const connections = new Set<ClientConnection>();
  const stats = { peakQueuedBytes: 0 };

  const refuseHttp: http.RequestListener = (_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain', connection: 'close' });
    res.end('This is a Ganvas engine: connect to it from the Ganvas app (Connect to an engine...), not from a browser.\n');
  };
  const httpServer = options.tls
    ? https.createServer({ cert: options.tls.cert, key: options.tls.key }, refuseHttp)
    : http.createServer(refuseHttp);
  const wss = new WebSocketServer({
    server: httpServer,
    // The library refuses a larger frame from its header alone (close 1009), before reading it.
    maxPayload: limits.serverMaxFrame,
    // Web pages send an Origin; the desktop app's main process does not. No page may drive the engine.
    verifyClient: ({ origin }: { origin?: string }) => !origin,
    perMessageDeflate: false,
  });

  wss.on('connection', (ws: WebSocket, req: http.IncomingMessage) => {
    const address = `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
    if (connections.size >= limits.maxClients) {
      ws.close(closeCodes.full, 'the server has as many clients as it takes');
      return;
    }
    const connection = new ClientConnection(ws, address, {
      engine: options.engine,
      token: options.token,
      info,
      transfers,
      limits,
      log,
      stats,
    });
    connections.add(connection);
    ws.on('close', () => connections.delete(connection));
    capPreAuthBytes(req.socket, connection, limits.preAuthMaxFrame * 2);
  });
  wss.on('error', (err) => log(`server: ${err.message}`));

  const unsubscribe = apiEventNames
    .filter((name) => !LOCAL_ONLY_EVENTS.has(name))
    .map((name) => options.engine.on(name, (payload) => connections.forEach((c) => c.sendEvent(name, payload))));

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 7420, host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const port = (httpServer.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `${options.tls ? 'wss' : 'ws'}://${shownHost}:${port}`,
    host,
    port,
    clients: () => [...connections].filter((c) => c.authenticated).length,
    stats: () => ({ ...stats }),
    async close() {
      unsubscribe.forEach((off) => off());
      for (const c of connections) c.close(1001, 'the server is shutting down');
      // A client that does not answer the close frame is cut after a moment.
      const cut = setTimeout(() => connections.forEach((c) => c.ws.terminate()), 1000);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      clearTimeout(cut);
      httpServer.closeAllConnections?.();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}

/**
 * Before its token, a client may send a few kilobytes in all: the frame limit alone would let an
 * unauthenticated socket make the server read 16 MB. Counted on the raw socket, so the bytes
 * of a frame still arriving count too.
 */
function capPreAuthBytes(socket: Socket, connection: ClientConnection, cap: number): void {
  let seen = 0;
  const count = (chunk: Buffer) => {
    if (connection.authenticated) return socket.off('data', count);
    seen += chunk.length;
    if (seen > cap) connection.ws.terminate();
  };
  socket.on('data', count);
}
