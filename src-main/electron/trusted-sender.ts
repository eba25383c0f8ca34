import { pathToFileURL } from 'node:url';

/**
 * Where our renderer is served from: the dev server in `electron-vite dev`, else the built
 * index.html. IPC from any other frame (an iframe, a page navigated elsewhere) is refused.
 */
export function rendererOrigin(rendererIndexHtml: string, devServerUrl?: string): string {
  return devServerUrl ? new URL(devServerUrl).origin : pathToFileURL(rendererIndexHtml).href;
}

export function isTrustedSender(frameUrl: string | undefined, origin: string): boolean {
  if (!frameUrl) return false;
  if (origin.startsWith('file:')) return frameUrl.split(/[?#]/)[0] === origin;
  try {
    return new URL(frameUrl).origin === origin;
  } catch {
    return false;
  }
}
