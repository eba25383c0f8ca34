/** Latent arithmetic math: means, weighted composition, expressions, noise grid, pixels, directions. */
import { describe, expect, it } from 'vitest';
import { ExprError, findConcept, formatExpression, parseExpression, resolveExpression } from '../../src-main/shared/arith-expression';
import {
  applyDirection,
  combine,
  combineLabels,
  directionVector,
  GRID_CENTRE,
  meanImage,
  meanVector,
  noiseGrid,
  pixelArithmetic,
} from '../../src-main/engine/arith/vector';

const weights = (text: string) => Object.fromEntries(parseExpression(text).map((t) => [t.quoted ? `"${t.ref}"` : t.ref, t.weight]));
const concepts = [
  { id: 'i1', symbol: 'A', name: 'smiling woman' },
  { id: 'i2', symbol: 'B', name: 'neutral woman' },
  { id: 'i3', symbol: 'C', name: 'neutral man' },
];

describe('concept means and composition', () => {
  it('should average exemplars per dimension', () => {
    expect(
      Array.from(
        meanVector([
          [1, 2],
          [3, 6],
          [5, 1],
        ]),
      ),
    ).toEqual([3, 3]);
    expect(() => meanVector([])).toThrow(/at least one sample/);
    expect(() => meanVector([[1, 2], [1]])).toThrow(/differ in length/);
  });

  it('should compose A - B + C as the weighted sum of means', () => {
    const a = meanVector([
      [1, 0, 2],
      [3, 0, 2],
    ]); // [2, 0, 2]
    const b = meanVector([[1, 1, 1]]);
    const c = meanVector([
      [0, 4, 0],
      [0, 2, 0],
    ]); // [0, 3, 0]
    const y = combine([
      { weight: 1, vector: a },
      { weight: -1, vector: b },
      { weight: 0.5, vector: c },
    ]);
    expect(Array.from(y)).toEqual([1, 0.5, 1]);
  });

  it('should combine conditional labels like z, clipping negatives and renormalising', () => {
    // (all 3s) - (all 3s) + (all 5s) = a 5.
    const l = combineLabels(
      [
        { weight: 1, labels: [3, 3] },
        { weight: -1, labels: [3] },
        { weight: 1, labels: [5, 5, 5] },
      ],
      10,
    )!;
    expect(l[5]).toBeCloseTo(1);
    expect(l.reduce((s, v) => s + v, 0)).toBeCloseTo(1);
    // Mixed members: 2/3 of class 1, 1/3 of class 2; minus class 2 leaves only class 1.
    const mixed = combineLabels(
      [
        { weight: 1, labels: [1, 1, 2] },
        { weight: -1, labels: [2] },
      ],
      3,
    )!;
    expect(mixed).toEqual([0, 1, 0]);
    // Everything cancels: the uniform label.
    expect(
      combineLabels(
        [
          { weight: 1, labels: [0] },
          { weight: -1, labels: [0] },
        ],
        4,
      ),
    ).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(combineLabels([{ weight: 1, labels: [null] }], 0)).toBeNull();
  });
});

describe('expressions', () => {
  it('should parse the paper default and weights in several spellings', () => {
    expect(weights('A - B + C')).toEqual({ A: 1, B: -1, C: 1 });
    expect(weights('A \u2212 B + C')).toEqual({ A: 1, B: -1, C: 1 }); // unicode minus, pasted from the paper
    expect(weights('0.5*A - 2B + C/4')).toEqual({ A: 0.5, B: -2, C: 0.25 });
    expect(weights('0.5 \u00d7 (A + B) - -C')).toEqual({ A: 0.5, B: 0.5, C: 1 });
    expect(weights('A + A - 0.5A')).toEqual({ A: 1.5 });
    expect(weights('"smiling woman" - B')).toEqual({ '"smiling woman"': 1, B: -1 });
    expect(weights('-(A - B) * 3')).toEqual({ A: -3, B: 3 });
  });

  it('should refuse non-linear or malformed expressions with a position', () => {
    const fails: [string, RegExp, number][] = [
      ['', /empty/, 0],
      ['A * B', /cannot be multiplied/, 2],
      ['A + 1', /plain number/, 0],
      ['A / B', /divide by a concept/, 2],
      ['A / 0', /division by zero/, 2],
      ['A B', /expected \+ or -/, 2],
      ['A - ', /ends too early/, 4],
      ['(A - B', /missing '\)'/, 6],
      ['A - B)', /unmatched/, 5],
      ['A $ B', /unexpected '\$'/, 2],
      ['"open', /not closed/, 0],
      ['3', /at least one concept/, 0],
    ];
    for (const [text, message, at] of fails) {
      let error: unknown;
      try {
        parseExpression(text);
      } catch (e) {
        error = e;
      }
      expect(error, text).toBeInstanceOf(ExprError);
      expect((error as ExprError).message, text).toMatch(message);
      expect((error as ExprError).at, text).toBe(at);
    }
  });

  it('should bind symbols and names to concepts and merge repeats', () => {
    expect(findConcept('B', false, concepts)?.id).toBe('i2');
    expect(findConcept('Neutral Man', true, concepts)?.id).toBe('i3');
    expect(findConcept('b', false, concepts)?.id).toBe('i2');
    const r = resolveExpression('A - "neutral woman" + C + 0.5B', concepts);
    expect(r.map((t) => [t.concept.symbol, t.weight])).toEqual([
      ['A', 1],
      ['B', -0.5],
      ['C', 1],
    ]);
    expect(() => resolveExpression('A - D', concepts)).toThrow(/no concept called 'D'; there are A \(smiling woman\)/);
    expect(() => resolveExpression('A - A', concepts)).toThrow(/cancel out/);
  });

  it('should format weights back to a canonical expression that parses to the same weights', () => {
    const text = formatExpression([
      { label: 'A', weight: 1 },
      { label: 'B', weight: -1 },
      { label: 'smiling man', weight: 0.5 },
      { label: 'C', weight: 0 },
    ]);
    expect(text).toBe('A - B + 0.5*"smiling man"');
    expect(weights(text)).toEqual({ A: 1, B: -1, '"smiling man"': 0.5 });
    expect(formatExpression([{ label: 'A', weight: -2 }])).toBe('-2*A');
  });
});

describe('the 3x3 noise grid', () => {
  const y = Float32Array.from({ length: 100 }, (_, i) => Math.sin(i));

  it('should keep Y in the centre and put the 8 neighbours within +-scale of it', () => {
    const grid = noiseGrid(y, 0.25, 7);
    expect(grid.length).toBe(900);
    expect(Array.from(grid.subarray(GRID_CENTRE * 100, GRID_CENTRE * 100 + 100))).toEqual(Array.from(y));
    let maxAbs = 0;
    for (let cell = 0; cell < 9; cell++) {
      if (cell === GRID_CENTRE) continue;
      let moved = 0;
      for (let i = 0; i < 100; i++) {
        const d = grid[cell * 100 + i] - y[i];
        maxAbs = Math.max(maxAbs, Math.abs(d));
        moved += Math.abs(d);
      }
      expect(moved / 100).toBeGreaterThan(0.08); // E|U(-0.25, 0.25)| = 0.125
    }
    expect(maxAbs).toBeLessThanOrEqual(0.25 + 1e-6);
    expect(maxAbs).toBeGreaterThan(0.2);
  });

  it('should be reproducible for a seed and differ for another seed', () => {
    expect(Array.from(noiseGrid(y, 0.25, 7))).toEqual(Array.from(noiseGrid(y, 0.25, 7)));
    expect(Array.from(noiseGrid(y, 0.25, 8))).not.toEqual(Array.from(noiseGrid(y, 0.25, 7)));
    // Scale only stretches the same draws: a slider move does not reshuffle the neighbours.
    const a = noiseGrid(y, 0.25, 3);
    const b = noiseGrid(y, 0.5, 3);
    for (let i = 0; i < 900; i++) expect(b[i] - y[i % 100]).toBeCloseTo(2 * (a[i] - y[i % 100]), 5);
    const flat = noiseGrid(y, 0, 3);
    for (let cell = 0; cell < 9; cell++) expect(Array.from(flat.subarray(cell * 100, cell * 100 + 100))).toEqual(Array.from(y));
  });
});

describe('pixel-space arithmetic and directions', () => {
  it('should combine mean images with the weights and clip to [-1, 1]', () => {
    const A = Float32Array.from([1, 1, -1, 0.2, 1, 0.6]); // 2 images of 3 pixels
    const B = Float32Array.from([-1, 0, 0.5]);
    const mean = meanImage(A, 2, 3);
    [0.6, 1, -0.2].forEach((v, i) => expect(mean[i]).toBeCloseTo(v, 6));
    const out = pixelArithmetic(
      [
        { weight: 1, images: A, count: 2 },
        { weight: -1, images: B, count: 1 },
      ],
      3,
    );
    expect(out[0]).toBe(1); // 0.6 + 1 = 1.6, clipped
    expect(out[1]).toBe(1);
    expect(out[2]).toBeCloseTo(-0.7, 6);
    expect(() => meanImage(A, 3, 3)).toThrow(/expected 3 images/);
  });

  it('should apply mean(A) - mean(B) to a base with a strength', () => {
    const d = directionVector(
      [
        [2, 0],
        [4, 0],
      ],
      [[0, 1]],
    );
    expect(Array.from(d)).toEqual([3, -1]);
    const rows = applyDirection([1, 1], d, [0, 1, -0.5]);
    expect(Array.from(rows)).toEqual([1, 1, 4, 0, -0.5, 1.5]);
    expect(() => applyDirection([1, 1, 1], d, [1])).toThrow(/direction has 2/);
  });
});
