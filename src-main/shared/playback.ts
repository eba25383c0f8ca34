/**
 * Frame order of a walk as played: shared by the app's player and the exporters, so an exported
 * GIF shows exactly what the player showed.
 */

/** 0..n-1, then back down to 1 when ping-ponging (the ends are not shown twice in a row). */
export function playbackOrder(n: number, pingPong: boolean): number[] {
  const forward = Array.from({ length: n }, (_, i) => i);
  if (!pingPong || n < 3) return forward;
  return [...forward, ...forward.slice(1, -1).reverse()];
}
