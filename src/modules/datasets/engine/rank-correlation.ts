/**
 * Spearman's rho as pandas' corr(method='spearman') computes it: for each pair of columns,
 * Pearson's r of the average ranks of the rows where both are present (NaN marks a missing
 * value).
 */
export function spearmanMatrix(columns: Float64Array[]): (number | null)[][] {
  const m = columns.length;
  const n = m > 0 ? columns[0].length : 0;
  const values = columns.map((_, i) => columns.map((__, j) => (i === j ? 1 : null))) as (
    number | null
  )[][];
  // Each column is sorted once; a pair with missing values then re-ranks its common rows by
  // walking the two sorted orders (linear), instead of sorting them again (wide tables with
  // gaps spent seconds sorting).
  const orders = columns.map(presentOrder);
  const complete = orders.map((order) => order.length === n);
  const fullRanks = columns.map((column, i) =>
    complete[i] ? ranksAlong(column, orders[i], undefined) : undefined,
  );
  const both = new Uint8Array(n);
  for (let i = 0; i < m; i += 1) {
    for (let j = i + 1; j < m; j += 1) {
      const rx = fullRanks[i];
      const ry = fullRanks[j];
      if (rx && ry) {
        values[i][j] = values[j][i] = pearson(rx, ry);
        continue;
      }
      for (let k = 0; k < n; k += 1)
        both[k] = Number.isNaN(columns[i][k]) || Number.isNaN(columns[j][k]) ? 0 : 1;
      const x = ranksAlong(columns[i], orders[i], both);
      const y = ranksAlong(columns[j], orders[j], both);
      values[i][j] = values[j][i] = pearson(x, y, both);
    }
  }
  return values;
}

/**
 * Average ranks (ties share the mean of their positions) of a column without missing values,
 * as pandas' rank(method='average').
 */
export function averageRanks(values: Float64Array): Float64Array {
  return ranksAlong(values, presentOrder(values), undefined);
}

/** Pearson's r, over the rows `keep` marks when given. Null when either side is constant. */
export function pearson(x: Float64Array, y: Float64Array, keep?: Uint8Array): number | null {
  let kept = 0;
  let mx = 0;
  let my = 0;
  for (let k = 0; k < x.length; k += 1) {
    if (keep && keep[k] === 0) continue;
    kept += 1;
    mx += x[k];
    my += y[k];
  }
  if (kept < 2) return null;
  mx /= kept;
  my /= kept;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let k = 0; k < x.length; k += 1) {
    if (keep && keep[k] === 0) continue;
    const dx = x[k] - mx;
    const dy = y[k] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
}

/** The row numbers of a column's present values, in ascending order of value. */
function presentOrder(column: Float64Array): Uint32Array {
  const rows: number[] = [];
  for (let k = 0; k < column.length; k += 1) if (!Number.isNaN(column[k])) rows.push(k);
  rows.sort((a, b) => column[a] - column[b]);
  return Uint32Array.from(rows);
}

/**
 * Average ranks by row number among the rows `keep` marks (all present rows without it),
 * walking `order` (from {@link presentOrder}); entries of rows outside `keep` mean nothing.
 */
function ranksAlong(
  column: Float64Array,
  order: Uint32Array,
  keep: Uint8Array | undefined,
): Float64Array {
  const ranks = new Float64Array(column.length);
  let position = 0; // kept rows ranked so far
  let runStart = 0; // index in `order` where the current run of equal values starts
  while (runStart < order.length) {
    const value = column[order[runStart]];
    let runEnd = runStart;
    let inRun = 0;
    while (runEnd < order.length && column[order[runEnd]] === value) {
      if (!keep || keep[order[runEnd]] === 1) inRun += 1;
      runEnd += 1;
    }
    // The run's kept rows hold positions position+1 … position+inRun: their mean.
    const rank = position + (inRun + 1) / 2;
    for (let k = runStart; k < runEnd; k += 1) ranks[order[k]] = rank;
    position += inRun;
    runStart = runEnd;
  }
  return ranks;
}
