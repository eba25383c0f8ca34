/**
 * The parts of Electron's security checklist that are not window options (window.ts) or the
 * protocol (app-protocol.ts): every permission denied, and every web contents, ours or any other
 * the app might ever create, kept on its page: no navigation elsewhere, no new windows, no <webview>.
 * Ganvas's renderer needs no permission at all (notifications and the taskbar are shown from main).
 */
import type { App, Session, WebContents } from 'electron';
import { originOf } from './trusted-sender';

/** Camera, microphone, geolocation, notifications, clipboard reads, HID/USB/serial...: all refused. */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

/**
 * A page of ours may only "navigate" to itself (a reload, a hash route): same origin and same path
 * as the page the window was opened on. Everything else — another origin, another file of ours,
 * file:, data:, javascript: — is refused.
 */
export function isAllowedNavigation(url: string, entryUrl: string): boolean {
  const origin = originOf(url);
  if (!origin || origin !== originOf(entryUrl)) return false;
  return new URL(url).pathname === new URL(entryUrl).pathname;
}

export function hardenWebContents(contents: WebContents, entryUrl: string): void {
  // No window.open, no target=_blank, no middle-click: the app has one window.
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => {
    if (!isAllowedNavigation(event.url, entryUrl)) event.preventDefault();
  });
  // will-navigate covers the main frame only; this covers iframes as well.
  contents.on('will-frame-navigate', (event) => {
    if (!isAllowedNavigation(event.url, entryUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAllowedNavigation(event.url, entryUrl)) event.preventDefault();
  });
  // webviewTag is off in every window we create; this refuses one even if that ever changes.
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Applies hardenWebContents to every web contents the app creates, from the first one on. */
export function setupWebContentsHardening(app: App, entryUrl: string): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, entryUrl));
}
