/** Tile-grid helpers for the Inside views: the shared layout maths, and PNG data URLs. */
export { moveTile, sourceSize, tileAt, tileRect } from '$shared/tile-layout';

export const pngUrl = (b64: string) => `data:image/png;base64,${b64}`;
