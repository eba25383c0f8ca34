/**
 * Compute windows for the `chromium-bridge` target: what Electron's main does with a hidden
 * BrowserWindow (src-main/electron/compute-window.ts), done with Playwright pages of a Chromium that
 * has WebGPU. Debian's headless Chromium gives a SwiftShader adapter at an http://localhost origin
 * (a secure context), so WebGPU training is checked here for correctness, not speed.
 *
 * Messages cross Playwright's evaluate/exposeFunction, which carry JSON: typed arrays travel as
 * base64 inside tagged objects (the page-side codec is the init script below).
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import type { DeviceLink, DeviceLinkOpener, DeviceReply, DeviceRequest } from '../../src-main/engine/api/engine-api';

const rendererDir = resolve('out/renderer');
const origin = 'http://localhost';
const TYPED = { Float32Array, Int32Array, Uint8Array } as const;
type TypedName = keyof typeof TYPED;

/** Node side of the codec: typed arrays ⇄ { __typed, base64 }. */
function encode(value: unknown): unknown {
  for (const [name, Type] of Object.entries(TYPED)) {
    if (value instanceof Type)
      return { __typed: name, base64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  }
  if (Array.isArray(value)) return value.map(encode);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
  return value;
}

function decode(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decode);
  if (value && typeof value === 'object') {
    const tagged = value as { __typed?: TypedName; base64?: string };
    if (tagged.__typed && tagged.base64 !== undefined) {
      const bytes = Buffer.from(tagged.base64, 'base64');
      const Type = TYPED[tagged.__typed];
      return new Type(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v)]));
  }
  return value;
}

/**
 * Runs in the page before its scripts: the same codec, and __ganvasDeviceHost for page-entry.ts.
 * Plain JavaScript in a string: a function would be passed through the test runner's TypeScript
 * transform, whose helpers (esbuild's __name) do not exist in the page.
 */
const pageCodec = `(() => {
  const types = { Float32Array, Int32Array, Uint8Array };
  const toBase64 = (bytes) => {
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(binary);
  };
  const enc = (value) => {
    for (const [name, Type] of Object.entries(types)) {
      if (value instanceof Type) return { __typed: name, base64: toBase64(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)) };
    }
    if (Array.isArray(value)) return value.map(enc);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, enc(v)]));
    return value;
  };
  const dec = (value) => {
    if (Array.isArray(value)) return value.map(dec);
    if (value && typeof value === 'object') {
      if (value.__typed && value.base64 !== undefined) {
        const bytes = Uint8Array.from(atob(value.base64), (c) => c.charCodeAt(0));
        return new types[value.__typed](bytes.buffer);
      }
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, dec(v)]));
    }
    return value;
  };
  let listener = null;
  globalThis.__ganvasDeviceHost = {
    postMessage: (message) => void globalThis.__ganvasDeviceReply(enc(message)),
    onMessage: (l) => (listener = l),
  };
  globalThis.__ganvasDeviceDeliver = (message) => listener && listener(dec(message));
})();`;

export interface ComputePages {
  open: DeviceLinkOpener;
  /** The compute windows open now (a spec closes one to act out a lost window). */
  pages(): Page[];
  /** Every call sent to a compute window so far ('probe', 'step', 'draw', …), in order. */
  calls(): string[];
  close(): Promise<void>;
}

/** Opens compute windows as pages of one WebGPU-enabled headless Chromium, started on first use. */
export function computePages(executablePath: string): ComputePages {
  let browser: Promise<Browser> | null = null;
  const open = new Set<Page>();
  const calls: string[] = [];

  const openOne = async (): Promise<DeviceLink> => {
    browser ??= chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--enable-unsafe-webgpu', '--no-first-run'] });
    const context = await (await browser).newContext();
    await context.route(`${origin}/**`, async (route) => {
      const path = new URL(route.request().url()).pathname;
      const file = join(rendererDir, decodeURIComponent(path));
      if (!file.startsWith(rendererDir)) return route.fulfill({ status: 403 });
      const type = path.endsWith('.html') ? 'text/html' : path.endsWith('.js') ? 'text/javascript' : 'application/octet-stream';
      await route.fulfill({ body: await readFile(file), contentType: type }).catch(() => route.fulfill({ status: 404 }));
    });
    const page = await context.newPage();
    open.add(page);
    const replies: ((reply: DeviceReply) => void)[] = [];
    const closes: ((why: string) => void)[] = [];
    let closing = false;
    const gone = (why: string) => {
      open.delete(page);
      if (!closing) for (const c of closes.splice(0)) c(why);
      closing = true;
    };
    page.on('close', () => gone('the compute window was closed'));
    page.on('crash', () => gone('the compute window crashed'));
    await page.exposeFunction('__ganvasDeviceReply', (message: unknown) => {
      for (const r of replies) r(decode(message) as DeviceReply);
    });
    await page.addInitScript({ content: pageCodec });
    await page.goto(`${origin}/compute.html`);
    return {
      send: (request: DeviceRequest) => {
        calls.push(request.call.op);
        void page
          .evaluate((m) => (globalThis as unknown as { __ganvasDeviceDeliver(m: unknown): void }).__ganvasDeviceDeliver(m), encode(request))
          .catch(() => undefined); // closed meanwhile: 'close' reports it
      },
      onReply: (listener) => replies.push(listener),
      onClose: (listener) => closes.push(listener),
      close: () => {
        closing = true;
        open.delete(page);
        void context.close().catch(() => undefined);
      },
    };
  };

  return {
    open: openOne,
    pages: () => [...open],
    calls: () => [...calls],
    async close() {
      if (browser) await (await browser).close();
    },
  };
}
