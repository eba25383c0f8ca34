/** Small helpers shared by the detectors. */

/**
 * Runs `check` on every prefix of `items` ending at the newest item and going back while it
 * keeps finding the condition: the newest finding, and the item where this stretch began (so a
 * condition that persists keeps one start step and is not reported again as new).
 */
export function currentStretch<T, F>(
  items: readonly T[],
  check: (prefix: readonly T[]) => F | null,
): { finding: F; since: T; length: number } | null {
  if (items.length === 0) return null;
  const finding = check(items);
  if (finding === null) return null;
  let start = items.length - 1;
  while (start > 0 && check(items.slice(0, start)) !== null) start--;
  return { finding, since: items[start], length: items.length - start };
}

/** Rounds for evidence shown to people (3 significant decimals). */
export const round = (x: number, digits = 3) => (Number.isFinite(x) ? Number(x.toFixed(digits)) : x);

export const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Least-squares slope of ys against 0, 1, 2, ... */
export function slope(ys: readonly number[]): number {
  const n = ys.length;
  if (n < 2) return 0;
  const mx = (n - 1) / 2;
  const my = ys.reduce((a, y) => a + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (i - mx) * (ys[i] - my);
    sxx += (i - mx) ** 2;
  }
  return sxy / sxx;
}
