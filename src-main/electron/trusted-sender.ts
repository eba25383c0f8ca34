import { APP_ORIGIN } from './app-origin';

/**
 * Where our renderer is served from: the dev server in `electron-vite dev`, else app://ganvas
 * (app-protocol.ts). IPC from any other frame (an iframe, a page navigated elsewhere) is refused.
 */
export function rendererOrigin(devServerUrl?: string): string {
  if (!devServerUrl) return APP_ORIGIN;
  const origin = originOf(devServerUrl);
  if (!origin) throw new Error(`Not a dev server URL: ${devServerUrl}`);
  return origin;
}

/**
 * scheme://host[:port] of a URL, or null when it has no host (file:, data:, about:blank...).
 * Not URL.origin: Node's URL gives the opaque origin "null" to schemes it does not know, app: included.
 */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.host ? `${parsed.protocol}//${parsed.host}` : null;
  } catch {
    return null;
  }
}

export function isTrustedSender(frameUrl: string | undefined, origin: string): boolean {
  if (!frameUrl) return false;
  const frameOrigin = originOf(frameUrl);
  return frameOrigin !== null && frameOrigin === origin;
}
