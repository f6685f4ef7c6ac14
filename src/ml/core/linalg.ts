/**
 * Small dense linear algebra on row-major Float64Arrays (n × n systems up to a few hundred),
 * enough for ridge normal equations and Newton steps.
 */

/**
 * In-place Cholesky factorisation A = L Lᵀ of a symmetric positive-definite n × n matrix;
 * the lower triangle of `a` receives L. Returns false if A is not numerically positive definite.
 */
export function cholesky(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let k = 0; k < j; k++) d -= a[j * n + k] * a[j * n + k];
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    a[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= a[i * n + k] * a[j * n + k];
      a[i * n + j] = s / ljj;
    }
  }
  return true;
}

/** Solves L Lᵀ x = b given the factor from {@link cholesky}; returns x (b is not modified). */
export function choleskySolve(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    let s = x[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * x[k];
    x[i] = s / l[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
    x[i] = s / l[i * n + i];
  }
  return x;
}

/**
 * Solves the symmetric positive-definite system A x = b (A is copied). If A is only
 * semi-definite, a jitter of 1e-12·trace/n is added until the factorisation succeeds.
 */
export function solveSpd(a: ArrayLike<number>, n: number, b: ArrayLike<number>): Float64Array {
  let trace = 0;
  for (let i = 0; i < n; i++) trace += a[i * n + i];
  let jitter = 0;
  for (let attempt = 0; attempt < 12; attempt++) {
    const f = Float64Array.from(a);
    for (let i = 0; i < n; i++) f[i * n + i] += jitter;
    if (cholesky(f, n)) return choleskySolve(f, n, b);
    jitter = jitter === 0 ? (1e-12 * Math.max(trace, 1e-300)) / n : jitter * 10;
  }
  throw new RangeError('matrix is not positive definite');
}
