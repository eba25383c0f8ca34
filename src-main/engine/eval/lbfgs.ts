/**
 * Limited-memory BFGS (Nocedal & Wright, Alg. 7.4 and 7.5) with a backtracking Armijo line search:
 * deterministic, full-batch and tf-free, for the smooth convex objectives of the linear
 * classifiers (squared hinge, softmax cross-entropy, both with L2).
 */

export interface Objective {
  /** Value at x, writing the gradient into `grad` (same length as x). */
  (x: Float64Array, grad: Float64Array): number;
}

export interface LbfgsOptions {
  maxIterations?: number;
  /** History pairs kept (m in Nocedal & Wright). */
  memory?: number;
  /** Stop when ||grad||_inf <= gradTol * max(1, |f|). */
  gradTol?: number;
  /** Stop when the relative decrease of f over one iteration falls below this. */
  fTol?: number;
}

export interface LbfgsResult {
  x: Float64Array;
  value: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
}

const dot = (a: Float64Array, b: Float64Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

const normInf = (a: Float64Array) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
};

/** Minimises `f` from `x0` (not modified). */
export function minimizeLbfgs(f: Objective, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const run = lbfgsIterations(f, x0, options);
  for (;;) {
    const next = run.next();
    if (next.done) return next.value;
  }
}

/**
 * The same minimisation, yielding to the event loop every `yieldEvery` iterations so a worker can
 * still receive a cancel request (and send progress) during a long fit; `check` may throw to abort.
 */
export async function minimizeLbfgsAsync(
  f: Objective,
  x0: Float64Array,
  options: LbfgsOptions & { yieldEvery?: number; check?: (iteration: number) => void } = {},
): Promise<LbfgsResult> {
  const run = lbfgsIterations(f, x0, options);
  const every = options.yieldEvery ?? 5;
  for (;;) {
    const next = run.next();
    if (next.done) return next.value;
    if (next.value % every === 0) {
      await new Promise((resolve) => setImmediate(resolve));
      options.check?.(next.value);
    }
  }
}

/** The iteration loop as a generator: yields the iteration count after each accepted step. */
function* lbfgsIterations(f: Objective, x0: Float64Array, options: LbfgsOptions): Generator<number, LbfgsResult> {
  const { maxIterations = 200, memory = 10, gradTol = 1e-6, fTol = 1e-10 } = options;
  const n = x0.length;
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let fx = f(x, g);
  let evaluations = 1;
  const sHist: Float64Array[] = [];
  const yHist: Float64Array[] = [];
  const rhoHist: number[] = [];
  const dir = new Float64Array(n);
  const alpha = new Float64Array(memory);
  let xNew = new Float64Array(n);
  let gNew = new Float64Array(n);

  for (let iter = 0; iter < maxIterations; iter++) {
    if (normInf(g) <= gradTol * Math.max(1, Math.abs(fx))) return { x, value: fx, iterations: iter, evaluations, converged: true };

    // Two-loop recursion: dir = -H g.
    for (let i = 0; i < n; i++) dir[i] = -g[i];
    for (let k = sHist.length - 1; k >= 0; k--) {
      alpha[k] = rhoHist[k] * dot(sHist[k], dir);
      const y = yHist[k];
      for (let i = 0; i < n; i++) dir[i] -= alpha[k] * y[i];
    }
    // Initial Hessian scaling gamma = s'y / y'y (N&W eq. 7.20); the first step is scaled to unit length.
    const last = sHist.length - 1;
    const gamma = last >= 0 ? 1 / (rhoHist[last] * dot(yHist[last], yHist[last])) : 1 / Math.max(normInf(g), 1e-12);
    for (let i = 0; i < n; i++) dir[i] *= gamma;
    for (let k = 0; k < sHist.length; k++) {
      const beta = rhoHist[k] * dot(yHist[k], dir);
      const s = sHist[k];
      for (let i = 0; i < n; i++) dir[i] += s[i] * (alpha[k] - beta);
    }
    let slope = dot(g, dir);
    if (slope >= 0) {
      // Not a descent direction (curvature information went stale): restart from steepest descent.
      sHist.length = yHist.length = rhoHist.length = 0;
      for (let i = 0; i < n; i++) dir[i] = -g[i] / Math.max(normInf(g), 1e-12);
      slope = dot(g, dir);
    }

    // Backtracking line search with the Armijo condition (c1 = 1e-4).
    let step = 1;
    let fNew = Infinity;
    for (let tries = 0; tries < 40; tries++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + step * dir[i];
      fNew = f(xNew, gNew);
      evaluations++;
      if (fNew <= fx + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(fNew < fx)) return { x, value: fx, iterations: iter, evaluations, converged: true }; // no progress possible

    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
    }
    const sy = dot(s, y);
    // Keep the pair only with positive curvature, so H stays positive definite.
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (sHist.length === memory) {
        sHist.shift();
        yHist.shift();
        rhoHist.shift();
      }
      sHist.push(s);
      yHist.push(y);
      rhoHist.push(1 / sy);
    }
    const decrease = (fx - fNew) / Math.max(Math.abs(fx), Math.abs(fNew), 1);
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    fx = fNew;
    if (decrease <= fTol) return { x, value: fx, iterations: iter + 1, evaluations, converged: true };
    yield iter + 1;
  }
  return { x, value: fx, iterations: maxIterations, evaluations, converged: false };
}
