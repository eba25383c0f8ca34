/** Image scaling maths, DOM-free so it is unit-tested in Node. */
/**
 * How much to scale an image of `natural` px to fit `available` px (and `maxHeight` for its
 * height): a whole number when it is enlarged, so every generated pixel becomes an equal square
 * block (a 1.33x scale draws some pixels one block wide and others two); a fraction only when the
 * image must shrink to fit. 1 while the space is not measured yet.
 */
export function fitScale(naturalWidth: number, naturalHeight: number, available: number, maxHeight = Infinity): number {
  if (naturalWidth <= 0 || naturalHeight <= 0 || available <= 0) return 1;
  const room = Math.min(available / naturalWidth, maxHeight / naturalHeight);
  return room >= 1 ? Math.floor(room) : room;
}
