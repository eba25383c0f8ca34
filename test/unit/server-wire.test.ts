/**
 * `ganvas serve` on the wire: framing, size limits and authentication, seen from raw sockets
 * (hand-made WebSocket frames, so nothing in a client library can hide what the server does).
 */
import crypto from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RemoteEngine } from '../../src-main/remote/client';
import { closeCodes, decodeBinary, encodeBinary, limits, PROTOCOL_VERSION } from '../../src-main/remote/protocol';
import { testServer, until } from '../helpers/server';

type TestServer = Awaited<ReturnType<typeof testServer>>;
let current: TestServer | null = null;
afterEach(async () => {
  await current?.close();
  current = null;
});
const start = async (options?: Parameters<typeof testServer>[0]) => (current = await testServer(options));

/** A client frame (clients must mask); `declared` lets a header claim more bytes than follow. */
function clientFrame(opcode: number, payload: Buffer, declared = payload.length): Buffer {
  const mask = crypto.randomBytes(4);
  let header: Buffer;
  if (declared < 126) header = Buffer.from([0x80 | opcode, 0x80 | declared]);
  else if (declared < 65536) {
    header = Buffer.from([0x80 | opcode, 0x80 | 126, 0, 0]);
    header.writeUInt16BE(declared, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x80 | opcode;
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(declared), 2);
  }
  return Buffer.concat([header, mask, Buffer.from(payload.map((b, i) => b ^ mask[i % 4]))]);
}

interface ServerFrame {
  opcode: number;
  payload: Buffer;
}

/** A raw TCP client that did the WebSocket handshake; collects the server's (unmasked) frames. */
async function rawClient(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  const key = crypto.randomBytes(16).toString('base64');
  socket.write(
    `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  let buffer = Buffer.alloc(0);
  let handshaken = false;
  const frames: ServerFrame[] = [];
  let closed = false;
  let sent = 0;
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    if (!handshaken) {
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      expect(buffer.subarray(0, 12).toString()).toBe('HTTP/1.1 101');
      buffer = buffer.subarray(end + 4);
      handshaken = true;
    }
    while (buffer.length >= 2) {
      let length = buffer[1] & 0x7f;
      let offset = 2;
      if (length === 126) [length, offset] = [buffer.readUInt16BE(2), 4];
      else if (length === 127) [length, offset] = [Number(buffer.readBigUInt64BE(2)), 10];
      if (buffer.length < offset + length) return;
      frames.push({ opcode: buffer[0] & 0x0f, payload: buffer.subarray(offset, offset + length) });
      buffer = buffer.subarray(offset + length);
    }
  });
  socket.on('close', () => (closed = true));
  socket.on('error', () => undefined);
  await until(() => handshaken, 'the handshake');
  return {
    socket,
    frames,
    send(frame: Buffer) {
      sent += frame.length;
      socket.write(frame);
    },
    get sent() {
      return sent;
    },
    get closed() {
      return closed;
    },
    texts: () => frames.filter((f) => f.opcode === 1).map((f) => JSON.parse(f.payload.toString()) as Record<string, unknown>),
    closeCode: () => {
      const close = frames.find((f) => f.opcode === 8);
      return close && close.payload.length >= 2 ? close.payload.readUInt16BE(0) : undefined;
    },
  };
}

const hello = (token: string) => clientFrame(1, Buffer.from(JSON.stringify({ t: 'hello', token, protocol: PROTOCOL_VERSION })));

describe('message framing', () => {
  it('should carry a binary frame as a length-prefixed JSON header and raw bytes', () => {
    const bytes = crypto.randomBytes(1000);
    const decoded = decodeBinary(encodeBinary({ t: 'data', id: 7, offset: 4096 }, bytes));
    expect(decoded.header).toEqual({ t: 'data', id: 7, offset: 4096 });
    expect(Buffer.compare(decoded.bytes, bytes)).toBe(0);
  });

  it('should refuse a binary frame whose header length does not fit', () => {
    const frame = Buffer.alloc(16);
    frame.writeUInt32BE(1_000_000, 0);
    expect(() => decodeBinary(frame)).toThrow(/header length/);
    expect(() => decodeBinary(Buffer.alloc(2))).toThrow(/shorter/);
  });

  it('should refuse a 1 GB frame from its header, without reading its body', async () => {
    const { port, token } = await start();
    const raw = await rawClient(port);
    raw.send(hello(token));
    await until(() => raw.texts().some((m) => m.t === 'welcome'), 'the welcome');
    // Only the frame's header goes out: a server that waited for the gigabyte would never answer.
    raw.send(clientFrame(2, Buffer.alloc(0), 1024 ** 3));
    await until(() => raw.closed, 'the server to close the socket');
    expect(raw.closeCode()).toBe(1009); // "message too big"
    expect(raw.sent).toBeLessThan(1024);
  });

  it("should refuse a frame just over the server's own limit (16 MB, below the library's default)", async () => {
    const { port, token } = await start();
    const raw = await rawClient(port);
    raw.send(hello(token));
    await until(() => raw.texts().some((m) => m.t === 'welcome'), 'the welcome');
    raw.send(clientFrame(2, Buffer.alloc(0), limits.serverMaxFrame + 1));
    await until(() => raw.closed, 'the server to close the socket');
    expect(raw.closeCode()).toBe(1009);
  });

  it('should refuse a frame over the limit even before authentication', async () => {
    const { port, standIn } = await start();
    const raw = await rawClient(port);
    raw.send(clientFrame(2, Buffer.alloc(0), 1024 ** 3));
    await until(() => raw.closed, 'the server to close the socket');
    expect(standIn.call).not.toHaveBeenCalled();
  });

  it('should read no more than a few kilobytes from a client that has not authenticated', async () => {
    const { port, standIn } = await start();
    const raw = await rawClient(port);
    // A frame well under the frame limit (16 MB), but far over what a hello needs.
    const big = clientFrame(1, Buffer.alloc(256 * 1024, 0x20));
    raw.send(big);
    await until(() => raw.closed, 'the server to drop the socket');
    expect(standIn.call).not.toHaveBeenCalled();
  });

  it('should answer a malformed request with an error naming its field, and close on a message it does not know', async () => {
    const { url, token } = await start();
    const client = await RemoteEngine.connect(url, token, { reconnect: false });
    await expect(client.request({ t: 'download', path: '' })).rejects.toThrow(/Malformed message: path/);
    const closed = new Promise<string | undefined>((resolve) => client.onState((s, detail) => s === 'closed' && resolve(detail)));
    client.socket.send(JSON.stringify({ t: 'launch-missiles' }));
    expect(await closed).toMatch(new RegExp(String(closeCodes.protocol)));
  });
});

describe('authentication', () => {
  it('should refuse a call sent before the token, without running it', async () => {
    const { url, standIn } = await start();
    const ws = new WebSocket(url);
    await new Promise((resolve) => ws.once('open', resolve));
    const messages: Record<string, unknown>[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(String(data)) as Record<string, unknown>));
    ws.send(JSON.stringify({ t: 'call', id: 1, method: 'ping', payload: { t: 1 } }));
    const code = await new Promise<number>((resolve) => ws.once('close', (c) => resolve(c)));
    expect(code).toBe(closeCodes.unauthorized);
    expect(messages).toEqual([{ t: 'denied', message: expect.stringMatching(/first message must be the token/) }]);
    expect(standIn.call).not.toHaveBeenCalled();
  });

  it('should refuse a wrong token with a clear message', async () => {
    const { url, token, standIn } = await start();
    await expect(RemoteEngine.connect(url, `${token.slice(0, -1)}x`, { reconnect: false })).rejects.toThrow(
      expect.objectContaining({ code: 'refused', message: expect.stringMatching(/refused the token/) }),
    );
    expect(standIn.call).not.toHaveBeenCalled();
  });

  it('should serve calls once the token is right', async () => {
    const { url, token, root } = await start();
    const client = await RemoteEngine.connect(url, token, { reconnect: false });
    expect(client.info).toMatchObject({ root, gpus: [] });
    await expect(client.call('ping', { t: 42 })).resolves.toEqual({ t: 42 });
    client.close();
  });

  it('should drop a socket that does not authenticate in time', async () => {
    const { url } = await start({ limits: { authTimeoutMs: 100 } });
    const ws = new WebSocket(url);
    const code = await new Promise<number>((resolve) => ws.once('close', (c) => resolve(c)));
    expect(code).toBe(closeCodes.authTimeout);
  });

  it('should refuse a web page (a handshake with an Origin) and a plain HTTP request', async () => {
    const { url, port } = await start();
    const ws = new WebSocket(url, { origin: 'https://evil.example' });
    const status = await new Promise<number | undefined>((resolve) => ws.once('unexpected-response', (_req, res) => resolve(res.statusCode)));
    expect(status).toBe(401);
    const res = await new Promise<http.IncomingMessage>((resolve) => http.get(`http://127.0.0.1:${port}/`, resolve));
    expect(res.statusCode).toBe(426);
    res.resume();
  });

  it('should take at most maxClients clients', async () => {
    const { url, token } = await start({ limits: { maxClients: 2 } });
    const a = await RemoteEngine.connect(url, token, { reconnect: false });
    const b = await RemoteEngine.connect(url, token, { reconnect: false });
    await expect(RemoteEngine.connect(url, token, { reconnect: false })).rejects.toThrow(new RegExp(String(closeCodes.full)));
    a.close();
    b.close();
    expect(limits.maxClients).toBeGreaterThan(2);
  });
});
