/**
 * Fréchet distance between two Gaussians fitted to feature sets (Dowson & Landau 1982; used as
 * FID by Heusel et al. 2017 with Inception features — here with the app's own classifier):
 *   FD = ||mu1 - mu2||^2 + Tr(S1 + S2 - 2 (S1 S2)^{1/2}).
 * S1 S2 is not symmetric, so its square root is computed in the symmetric form
 *   Tr((S1 S2)^{1/2}) = Tr((S1^{1/2} S2 S1^{1/2})^{1/2}),
 * (S1 S2 is similar to S1^{1/2} S2 S1^{1/2}, a PSD matrix, so they share eigenvalues), which
 * needs only symmetric eigen-decompositions and never produces the complex parts that scipy's
 * general sqrtm returns for near-singular covariances.
 */
import { matMul, sqrtPsd, symmetricEigen, trace } from './linalg';
import { fitGaussian, type Gaussian } from './stats';

export interface FrechetParts {
  fd: number;
  /** ||mu1 - mu2||^2: how far apart the means are. */
  meanTerm: number;
  /** Tr(S1 + S2 - 2 (S1 S2)^{1/2}): how different the spreads are. */
  covTerm: number;
}

/**
 * Fréchet distance between N(mu1, S1) and N(mu2, S2) of the same dimension. `rootA` =
 * sqrtPsd(a.cov) may be passed when `a` is compared many times (a fixed real reference).
 */
export function frechetDistance(a: Gaussian, b: Gaussian, rootA: Float64Array = sqrtPsd(a.cov, a.d)): FrechetParts {
  if (a.d !== b.d) throw new Error(`Fréchet distance needs features of one size, got ${a.d} and ${b.d}`);
  const d = a.d;
  let meanTerm = 0;
  for (let i = 0; i < d; i++) meanTerm += (a.mean[i] - b.mean[i]) ** 2;
  const inner = matMul(matMul(rootA, b.cov, d), rootA, d);
  const { values } = symmetricEigen(inner, d);
  let traceSqrt = 0;
  for (const l of values) traceSqrt += Math.sqrt(Math.max(l, 0));
  // Both terms are >= 0 mathematically; rounding can push the covariance term a hair below 0.
  const covTerm = Math.max(0, trace(a.cov, d) + trace(b.cov, d) - 2 * traceSqrt);
  return { fd: meanTerm + covTerm, meanTerm, covTerm };
}

/** Fréchet distance between two feature sets (rows [n, d] each). */
export function frechetFromFeatures(a: ArrayLike<number>, na: number, b: ArrayLike<number>, nb: number, d: number): FrechetParts {
  return frechetDistance(fitGaussian(a, na, d), fitGaussian(b, nb, d));
}
