/**
 * The renderer's Content-Security-Policy. src-renderer/index.html carries the same policy in a
 * <meta> tag (so `npm run dev` and the e2e bridge get it too); the app:// protocol also sends it as a
 * response header, where `frame-ancestors` works (a meta tag cannot carry it). A unit test keeps the
 * two in step (test/unit/electron-protocol.test.ts).
 */

/** Only our own scripts (no inline script, no eval); images from data:/blob: for the sample grids. */
export const RENDERER_CSP =
  "default-src 'self'; script-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

/** The header form: the same policy, and no page may frame ours. */
export const RENDERER_CSP_HEADER = `${RENDERER_CSP}; frame-ancestors 'none'`;

/** Sent with every app:// response, found or not. */
export const securityHeaders: Readonly<Record<string, string>> = {
  'Content-Security-Policy': RENDERER_CSP_HEADER,
  // A file is what its extension says: a script cannot be smuggled in as an image or as text.
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};
