/**
 * Where the built renderer lives: `app://ganvas/` (app-protocol.ts serves it). Kept free of Electron
 * imports so the IPC sender check (trusted-sender.ts) stays a pure function.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'ganvas';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** What the window loads in a built app. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;
