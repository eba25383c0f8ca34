/** Tile-grid helpers for the Inside views: the same layout maths as the engine's tile grids. */
export { moveTile, sourceSize, tileAt, tileRect } from '$shared/tile-layout';
