/**
 * Order statistics helpers that reproduce numpy's defaults bit for bit, so bin edges built
 * here equal the ones built by the Python reference scripts.
 */

/** Ascending copy of the finite values of `x` (NaN dropped). */
export function sortedFinite(x: ArrayLike<number>): Float64Array {
  let n = 0;
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i])) n++;
  const out = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i])) out[k++] = x[i];
  return out.sort();
}

/**
 * Quantile of sorted data with numpy's default 'linear' method (Hyndman & Fan type 7):
 * virtual index h = (n − 1)q, value lerp(x⌊h⌋, x⌊h⌋+1, h − ⌊h⌋) using numpy's `_lerp`
 * (which switches to b − (b − a)(1 − t) for t ≥ 0.5).
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  if (h <= 0) return sorted[0];
  if (h >= n - 1) return sorted[n - 1];
  const lo = Math.floor(h);
  const t = h - lo;
  const a = sorted[lo];
  const b = sorted[lo + 1];
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** numpy.linspace(start, stop, num) with endpoint, computed the way numpy does (i·step + start). */
export function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  if (num === 1) {
    out[0] = start;
    return out;
  }
  const step = (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) out[i] = i * step + start;
  out[num - 1] = stop;
  return out;
}

/** numpy.searchsorted(edges, v, side): first index i with edges[i] >= v ('left') or > v ('right'). */
export function searchSorted(edges: ArrayLike<number>, v: number, side: 'left' | 'right'): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (side === 'left' ? edges[mid] < v : edges[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Sorted distinct values of an ascending array. */
export function uniqueSorted(sorted: ArrayLike<number>): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) out.push(sorted[i]);
  }
  return Float64Array.from(out);
}
