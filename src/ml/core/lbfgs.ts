/**
 * Limited-memory BFGS minimiser (Nocedal & Wright, Numerical Optimization, 2nd ed., Alg. 7.4
 * two-loop recursion, with a backtracking Armijo line search). Used where a Newton step's
 * Hessian would be too large.
 */
export interface LbfgsOptions {
  readonly maxIter?: number;
  /** Stop when max |gradient| ≤ gtol (default 1e-8). */
  readonly gtol?: number;
  /** History length (default 10). */
  readonly memory?: number;
}

export interface LbfgsResult {
  readonly x: Float64Array;
  readonly value: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/** `fg(x, grad)` returns f(x) and writes ∇f(x) into `grad`. */
export function minimizeLbfgs(
  fg: (x: Float64Array, grad: Float64Array) => number,
  x0: ArrayLike<number>,
  options: LbfgsOptions = {},
): LbfgsResult {
  const maxIter = options.maxIter ?? 1000;
  const gtol = options.gtol ?? 1e-8;
  const mem = options.memory ?? 10;
  const n = x0.length;
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let f = fg(x, g);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const maxAbs = (v: Float64Array): number => v.reduce((m, e) => Math.max(m, Math.abs(e)), 0);
  for (let iter = 0; iter < maxIter; iter++) {
    if (maxAbs(g) <= gtol) return { x, value: f, iterations: iter, converged: true };
    // two-loop recursion: d = −H g
    const q = Float64Array.from(g);
    const alpha = new Float64Array(S.length);
    for (let i = S.length - 1; i >= 0; i--) {
      let a = 0;
      for (let j = 0; j < n; j++) a += S[i][j] * q[j];
      a *= rho[i];
      alpha[i] = a;
      for (let j = 0; j < n; j++) q[j] -= a * Y[i][j];
    }
    let gamma = 1;
    if (S.length > 0) {
      const s = S[S.length - 1];
      const y = Y[Y.length - 1];
      let sy = 0;
      let yy = 0;
      for (let j = 0; j < n; j++) {
        sy += s[j] * y[j];
        yy += y[j] * y[j];
      }
      gamma = sy / yy;
    } else {
      gamma = 1 / Math.max(1, Math.sqrt(g.reduce((t, e) => t + e * e, 0)));
    }
    for (let j = 0; j < n; j++) q[j] *= gamma;
    for (let i = 0; i < S.length; i++) {
      let b = 0;
      for (let j = 0; j < n; j++) b += Y[i][j] * q[j];
      b *= rho[i];
      for (let j = 0; j < n; j++) q[j] += S[i][j] * (alpha[i] - b);
    }
    const d = q.map((v) => -v);
    let slope = 0;
    for (let j = 0; j < n; j++) slope += g[j] * d[j];
    if (slope >= 0) {
      // not a descent direction: restart from steepest descent
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
      for (let j = 0; j < n; j++) d[j] = -g[j];
      slope = -g.reduce((t, e) => t + e * e, 0);
    }
    let step = 1;
    const xNew = new Float64Array(n);
    const gNew = new Float64Array(n);
    let fNew = Number.POSITIVE_INFINITY;
    for (let ls = 0; ls < 60; ls++) {
      for (let j = 0; j < n; j++) xNew[j] = x[j] + step * d[j];
      fNew = fg(xNew, gNew);
      if (fNew <= f + 1e-4 * step * slope) break;
      step /= 2;
    }
    if (!(fNew <= f)) return { x, value: f, iterations: iter, converged: false };
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    let sy = 0;
    for (let j = 0; j < n; j++) {
      s[j] = xNew[j] - x[j];
      y[j] = gNew[j] - g[j];
      sy += s[j] * y[j];
    }
    if (sy > 1e-300) {
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
      if (S.length > mem) {
        S.shift();
        Y.shift();
        rho.shift();
      }
    }
    const improved = f - fNew;
    x = Float64Array.from(xNew);
    g = Float64Array.from(gNew);
    f = fNew;
    if (improved === 0 && maxAbs(g) > gtol)
      return { x, value: f, iterations: iter + 1, converged: false };
  }
  return { x, value: f, iterations: maxIter, converged: maxAbs(g) <= gtol };
}
