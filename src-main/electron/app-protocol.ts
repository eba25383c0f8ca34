/**
 * The renderer is served from `app://ganvas/`, a custom scheme limited to the built renderer folder,
 * rather than file:// (where every file on disk shares one origin with our page). Registered as
 * standard and secure, so the page has a real origin ('self' in the CSP means app://ganvas), web
 * storage, and the secure-context APIs (WebGPU, crypto.subtle) that file:// or an http origin
 * would not reliably get. `npm run dev` keeps loading from the electron-vite dev server.
 */
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { protocol, type CustomScheme } from 'electron';
import { APP_HOST, APP_SCHEME } from './app-origin';
import { securityHeaders } from './csp';

/** No bypassCSP, no corsEnabled: the scheme gets a real, secure origin and nothing beyond it. */
export const appScheme: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

/** Must run before the app's 'ready' event (Electron applies privileges at startup only). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([appScheme]);
}

// The callback forms: Electron's asar support patches them, so this also works inside app.asar.
const realpath = promisify(fs.realpath);
const stat = promisify(fs.stat);
const readFile = promisify(fs.readFile);

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export const mimeTypeOf = (file: string): string => mimeTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream';

/** True when `target` is strictly inside `root` (both absolute, already resolved). */
function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

/**
 * Decoded path segments of an app:// URL, or null when any of them could leave the folder or is
 * not a plain file name: `..` (also percent-encoded), separators of either OS inside a segment
 * (`..%2F`, `..%5C`), a drive or stream colon, control characters, empty segments.
 */
function safeSegments(pathname: string): string[] | null {
  const segments: string[] = [];
  for (const raw of (pathname === '/' ? '/index.html' : pathname).split('/').slice(1)) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    // eslint-disable-next-line no-control-regex
    if (segment === '' || segment === '.' || segment === '..' || /[/\\:\u0000-\u001f\u007f]/.test(segment)) return null;
    segments.push(segment);
  }
  return segments;
}

/**
 * The file an app:// URL names inside `root`, or null (404) for anything else: another scheme or
 * host, a path that leaves the folder, a symlink whose target is outside it, a folder, a missing file.
 */
export async function resolveRendererFile(root: string, url: string): Promise<string | null> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST || parsed.username || parsed.password) return null;
  const segments = safeSegments(parsed.pathname);
  if (!segments) return null;
  const base = path.resolve(root);
  const candidate = path.resolve(base, ...segments);
  if (!isInside(base, candidate)) return null;
  try {
    // Resolved again after following links: a symlink in the folder may not point out of it.
    const [realRoot, realFile] = await Promise.all([realpath(base), realpath(candidate)]);
    if (!isInside(realRoot, realFile)) return null;
    return (await stat(realFile)).isFile() ? realFile : null;
  } catch {
    return null;
  }
}

const notFound = () =>
  new Response('Not found', { status: 404, headers: { ...securityHeaders, 'Content-Type': 'text/plain; charset=utf-8' } });

/** The protocol handler: a file of the renderer folder with the security headers, or 404. */
export function rendererRequestHandler(root: string): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Method not allowed', { status: 405, headers: { ...securityHeaders, Allow: 'GET, HEAD' } });
    }
    const file = await resolveRendererFile(root, request.url);
    if (!file) return notFound();
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return notFound();
    }
    const headers = { ...securityHeaders, 'Content-Type': mimeTypeOf(file), 'Content-Length': String(body.length) };
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  };
}

/** Serves `rendererDir` (out/renderer) on app://ganvas/; call once the app is ready. */
export function setupAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, rendererRequestHandler(rendererDir));
}
