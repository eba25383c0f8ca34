import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => ({
  protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
}));
vi.mock('electron', () => electron);

const { appScheme, registerAppScheme, rendererRequestHandler, resolveRendererFile, setupAppProtocol } =
  await import('../../src-main/electron/app-protocol');
const { APP_ENTRY_URL, APP_ORIGIN } = await import('../../src-main/electron/app-origin');
const { RENDERER_CSP, RENDERER_CSP_HEADER } = await import('../../src-main/electron/csp');
const { isTrustedSender, rendererOrigin } = await import('../../src-main/electron/trusted-sender');

/**
 * A built renderer folder next to files it must never serve: a secret beside it, a symlink out of
 * it, a folder whose name starts like the renderer's ("renderer-evil"), a symlink that stays inside.
 */
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ganvas-protocol-'));
const root = path.join(base, 'renderer');
fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Ganvas</title>');
fs.writeFileSync(path.join(root, 'assets', 'index-abc.js'), 'console.log("app")');
fs.writeFileSync(path.join(root, 'assets', 'index-abc.css'), 'body{}');
fs.writeFileSync(path.join(root, 'assets', 'data.bin'), Buffer.from([1, 2, 3]));
fs.writeFileSync(path.join(base, 'secret.txt'), 'the user\u2019s secret');
fs.mkdirSync(path.join(base, 'renderer-evil'));
fs.writeFileSync(path.join(base, 'renderer-evil', 'x.js'), 'evil()');
fs.symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'assets', 'leak.txt'));
fs.symlinkSync(base, path.join(root, 'up'));
fs.symlinkSync(path.join(root, 'index.html'), path.join(root, 'alias.html'));
// Plain names on Linux and macOS that are a drive, a stream or a separator on Windows.
const posix = process.platform !== 'win32';
if (posix) {
  fs.writeFileSync(path.join(root, 'c:x.js'), 'windows()');
  fs.writeFileSync(path.join(root, 'a\\b.js'), 'windows()');
}
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

const serve = rendererRequestHandler(root);
const get = (url: string, method = 'GET') => serve(new Request(url, { method }));

describe('the app:// scheme', () => {
  it('is registered as standard and secure, without CSP bypass or CORS, before the app is ready', () => {
    registerAppScheme();
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([appScheme]);
    expect(appScheme).toEqual({
      scheme: 'app',
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    });
  });

  it('is served by the renderer handler, and the window loads its index', async () => {
    setupAppProtocol(root);
    expect(electron.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    const handler = electron.protocol.handle.mock.calls[0][1] as (request: Request) => Promise<Response>;
    expect((await handler(new Request(APP_ENTRY_URL))).status).toBe(200);
    expect(APP_ENTRY_URL).toBe('app://ganvas/index.html');
  });
});

describe('the renderer protocol handler', () => {
  it('serves index.html at / and by name, with its MIME type', async () => {
    for (const url of ['app://ganvas/', 'app://ganvas/index.html', 'app://ganvas/index.html?x=1#/project']) {
      const response = await get(url);
      expect(response.status, url).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await response.text()).toContain('<title>Ganvas</title>');
    }
  });

  it('serves the built assets with their MIME types', async () => {
    const js = await get('app://ganvas/assets/index-abc.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe('console.log("app")');
    expect((await get('app://ganvas/assets/index-abc.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
    const bin = await get('app://ganvas/assets/data.bin');
    expect(bin.headers.get('content-type')).toBe('application/octet-stream');
    expect([...new Uint8Array(await bin.arrayBuffer())]).toEqual([1, 2, 3]);
  });

  it('sends the CSP and nosniff headers on every answer, found or not', async () => {
    for (const url of [
      'app://ganvas/index.html',
      'app://ganvas/assets/index-abc.js',
      'app://ganvas/missing.js',
      'app://ganvas/../secret.txt',
    ]) {
      const response = await get(url);
      expect(response.headers.get('content-security-policy'), url).toBe(RENDERER_CSP_HEADER);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
    expect(RENDERER_CSP_HEADER).toContain("frame-ancestors 'none'");
  });

  it("sends the same policy as index.html's meta tag (plus what only a header can say)", () => {
    const html = fs.readFileSync(path.resolve('src-renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    expect(meta?.[1]).toBe(RENDERER_CSP);
    expect(RENDERER_CSP_HEADER.startsWith(`${RENDERER_CSP}; `)).toBe(true);
    for (const directive of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'"]) {
      expect(RENDERER_CSP_HEADER).toContain(directive);
    }
    expect(RENDERER_CSP_HEADER).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline|\*/);
  });

  it('refuses ../ traversal, plain or as the URL parser sees it', async () => {
    for (const url of [
      'app://ganvas/../secret.txt',
      'app://ganvas/assets/../../secret.txt',
      'app://ganvas/../../../../../../etc/passwd',
      'app://ganvas/../renderer-evil/x.js',
    ]) {
      const response = await get(url);
      expect(response.status, url).toBe(404);
      expect(await response.text()).toBe('Not found');
    }
  });

  it('refuses percent-encoded traversal and separators', async () => {
    for (const url of [
      'app://ganvas/%2e%2e/secret.txt',
      'app://ganvas/%2E%2E/%2E%2E/etc/passwd',
      'app://ganvas/..%2fsecret.txt',
      'app://ganvas/..%2Fsecret.txt',
      'app://ganvas/assets/..%2F..%2Fsecret.txt',
      'app://ganvas/..%5csecret.txt',
      'app://ganvas/..%5Crenderer-evil%5Cx.js',
      'app://ganvas/%252e%252e/secret.txt',
      'app://ganvas/index.html%00.png',
      'app://ganvas/%E0%A4%A',
    ]) {
      expect((await get(url)).status, url).toBe(404);
    }
  });

  it('refuses absolute paths, drive letters and streams', async () => {
    const secret = path.join(base, 'secret.txt');
    for (const url of [
      `app://ganvas/${encodeURIComponent(secret)}`,
      `app://ganvas//${secret}`,
      'app://ganvas/%2Fetc%2Fpasswd',
      'app://ganvas/C:%5CWindows%5Cwin.ini',
      'app://ganvas/C:/Windows/win.ini',
      'app://ganvas/index.html::$DATA',
      `app:///${secret}`,
    ]) {
      expect((await get(url)).status, url).toBe(404);
    }
  });

  it.runIf(posix)('refuses names that would mean a drive, a stream or a separator on Windows, even where they are files', async () => {
    expect(fs.existsSync(path.join(root, 'c:x.js'))).toBe(true);
    expect((await get('app://ganvas/c:x.js')).status).toBe(404);
    expect((await get('app://ganvas/a%5Cb.js')).status).toBe(404);
  });

  it('refuses symlinks that lead out of the folder, and follows those that stay inside', async () => {
    expect((await get('app://ganvas/assets/leak.txt')).status).toBe(404);
    expect((await get('app://ganvas/up/secret.txt')).status).toBe(404);
    // Through a link out and back in: the real file is the renderer's own, so it may be served.
    expect((await get('app://ganvas/up/renderer/index.html')).status).toBe(200);
    expect(await (await get('app://ganvas/alias.html')).text()).toContain('<title>Ganvas</title>');
  });

  it('answers 404 for other hosts and schemes, folders and missing files', async () => {
    for (const url of [
      'app://evil/index.html',
      'app://ganvas.evil/index.html',
      'app://ganvas/assets',
      'app://ganvas/assets/',
      'app://ganvas/nope.js',
      'app://ganvas//index.html',
    ]) {
      expect((await get(url)).status, url).toBe(404);
    }
    expect(await resolveRendererFile(root, 'app://user:pw@ganvas/index.html')).toBeNull();
    expect(await resolveRendererFile(root, 'file:///etc/passwd')).toBeNull();
    expect(await resolveRendererFile(root, 'not a url')).toBeNull();
    expect(await resolveRendererFile(root, 'app://ganvas/index.html')).toBe(fs.realpathSync(path.join(root, 'index.html')));
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get('app://ganvas/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await get('app://ganvas/index.html', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.get('content-security-policy')).toBe(RENDERER_CSP_HEADER);
  });
});

describe('the IPC sender check for app://ganvas', () => {
  it('trusts app://ganvas in a built app and the dev server only in dev', () => {
    expect(rendererOrigin()).toBe(APP_ORIGIN);
    expect(rendererOrigin('http://localhost:5173/')).toBe('http://localhost:5173');
    expect(() => rendererOrigin('/opt/Ganvas/out/renderer/index.html')).toThrow(/Not a dev server URL/);
    const dev = rendererOrigin('http://localhost:5173/');
    expect(isTrustedSender('http://localhost:5173/index.html', dev)).toBe(true);
    expect(isTrustedSender('http://localhost:5174/', dev)).toBe(false);
    expect(isTrustedSender('app://ganvas/index.html', dev)).toBe(false);
  });

  it('accepts any page of app://ganvas, with a hash or query, and refuses look-alikes', () => {
    for (const url of ['app://ganvas/index.html', 'app://ganvas/index.html?x#/project', 'app://ganvas/']) {
      expect(isTrustedSender(url, APP_ORIGIN), url).toBe(true);
    }
    for (const url of [
      'app://evil/index.html',
      'app://ganvas.evil/index.html',
      'app://GANVAS/index.html',
      'app://ganvas:8080/index.html',
      'file:///opt/Ganvas/resources/app.asar/out/renderer/index.html',
      'https://ganvas/index.html',
      'data:text/html,<p>hi</p>',
      'about:blank',
      'not a url',
      '',
      undefined,
    ]) {
      expect(isTrustedSender(url, APP_ORIGIN), String(url)).toBe(false);
    }
  });
});
