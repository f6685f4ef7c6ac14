import type { DuckDBConnection } from '@duckdb/node-api';
import { num, queryRows } from './duckdb';
import { interpolatedQuantile, quantileRanks } from './value-counts';

/** Buckets a counting pass splits a range of values into. */
const SELECTION_BUCKETS = 4096;
/**
 * A bucket holding at most this many values is read back (as value counts) to pick its order
 * statistics; a fuller one is split again. At 1M evenly spread values a bucket holds ≈ 250.
 */
const SELECTION_WINDOW = 16_384;
/**
 * Each split narrows the range ≈ 4096-fold: after five, a range holds a handful of distinct
 * doubles, read back as value counts however many rows hold them.
 */
const MAX_SELECTION_DEPTH = 6;

/** Values of the column: [lo, hi] holds exactly the ranks [offset, offset + n). */
interface Range {
  lo: number;
  hi: number;
  offset: number;
  n: number;
  depth: number;
  /** The counting pass that found the range, and its bucket there (none for the whole column). */
  bucket?: { pass: Pass; id: number };
}

/** A counting pass: bucket = floor((v − lo) · scale) among the rows `where` selects. */
interface Pass {
  where: string;
  key: string;
}

interface Wanted {
  range: Range;
  ranks: number[];
}

/**
 * Exact quantiles of one numeric column by selection, in memory bounded by SELECTION_WINDOW
 * whatever the row count. A GROUP BY counts the values per equal-width bucket between min and
 * max, which tells the bucket of each order statistic the quantiles need and its rank there;
 * small buckets are read back as value counts (one query for all), full ones split again.
 * DuckDB's exact `quantile_cont` holds and sorts every value instead: ≈ 120 ms per million
 * values and column against ≈ 45 ms here, and memory for all of them.
 *
 * `relation` yields the column as `v` (DOUBLE, missing values NULL); `count`, `min` and `max`
 * are those of its present values. Interpolation as pandas' `quantile()` (interpolatedQuantile).
 */
export async function selectQuantiles(
  connection: DuckDBConnection,
  relation: string,
  { count, min, max }: { count: number; min: number; max: number },
  quantiles: readonly number[],
): Promise<(number | null)[]> {
  if (count === 0) return quantiles.map(() => null);
  const ranks = new Set(quantiles.flatMap((q) => quantileRanks(count, q)));
  const work = new Work();
  work.place({ lo: min, hi: max, offset: 0, n: count, depth: 0 }, [...ranks]);
  for (;;) {
    await readWindows(connection, relation, work.windows.splice(0), work.values);
    const next = work.narrower.pop();
    if (!next) break;
    await countBuckets(connection, relation, next, work);
  }
  return quantiles.map((q) => interpolatedQuantile(count, q, (rank) => work.values.get(rank)!));
}

/** The order statistics found so far and the ranges still to resolve. */
class Work {
  readonly values = new Map<number, number>();
  /** Ranges small enough to read back. */
  readonly windows: Wanted[] = [];
  /** Ranges to split again. */
  readonly narrower: Wanted[] = [];

  place(range: Range, ranks: number[]): void {
    if (range.lo === range.hi) for (const rank of ranks) this.values.set(rank, range.lo);
    else if (range.n <= SELECTION_WINDOW || !splittable(range)) this.windows.push({ range, ranks });
    else this.narrower.push({ range, ranks });
  }
}

/**
 * Whether doubles can bucket the range: its width neither overflows (values near ±1.8e308) nor
 * vanishes, and it is not yet as narrow as MAX_SELECTION_DEPTH splits make it.
 */
function splittable({ lo, hi, depth }: Range): boolean {
  const scale = SELECTION_BUCKETS / (hi - lo);
  return scale > 0 && Number.isFinite(scale) && depth < MAX_SELECTION_DEPTH;
}

/** The SQL that selects exactly the values of `range`. */
function rowsOf(range: Range): string {
  return range.depth === 0
    ? 'v IS NOT NULL'
    : `v BETWEEN ${literal(range.lo)} AND ${literal(range.hi)}`;
}

/** One counting pass over a range: the bucket of each wanted rank, placed by what it needs. */
async function countBuckets(
  connection: DuckDBConnection,
  relation: string,
  { range, ranks: wanted }: Wanted,
  work: Work,
): Promise<void> {
  const scale = SELECTION_BUCKETS / (range.hi - range.lo);
  // floor((v − lo) · scale) never decreases as v grows, so each bucket's values are a run of
  // consecutive ranks, and [min, max] of a bucket holds no value of another.
  const pass: Pass = {
    where: rowsOf(range),
    key: `floor((v - ${literal(range.lo)}) * ${literal(scale)})`,
  };
  const rows = await queryRows(
    connection,
    `SELECT ${pass.key} AS b, count(*) AS n, min(v) AS lo, max(v) AS hi
     FROM ${relation} WHERE ${pass.where} GROUP BY b ORDER BY b`,
  );
  let offset = range.offset;
  for (const row of rows) {
    const n = num(row.n) ?? 0;
    const ranks = wanted.filter((r) => r >= offset && r < offset + n);
    if (ranks.length > 0) {
      const [lo, hi, id] = [num(row.lo)!, num(row.hi)!, num(row.b)!];
      work.place({ lo, hi, offset, n, depth: range.depth + 1, bucket: { pass, id } }, ranks);
    }
    offset += n;
  }
}

/**
 * Reads ranges back as value counts, all in one query (the buckets of one pass as one IN
 * list: a filter costs ≈ 8 ms per million rows whatever it matches), and picks the ranks.
 */
async function readWindows(
  connection: DuckDBConnection,
  relation: string,
  windows: Wanted[],
  values: Map<number, number>,
): Promise<void> {
  if (windows.length === 0) return;
  const filters: string[] = [];
  const idsByPass = new Map<Pass, number[]>();
  for (const { range } of windows) {
    if (!range.bucket) filters.push(rowsOf(range));
    else {
      const { pass, id } = range.bucket;
      idsByPass.set(pass, [...(idsByPass.get(pass) ?? []), id]);
    }
  }
  for (const [pass, ids] of idsByPass)
    filters.push(`(${pass.where} AND ${pass.key} IN (${ids.join(', ')}))`);
  const rows = await queryRows(
    connection,
    `SELECT v, count(*) AS n FROM ${relation} WHERE ${filters.join(' OR ')} GROUP BY v ORDER BY v`,
  );
  const counted = rows.map((row) => ({ v: num(row.v)!, n: num(row.n) ?? 0 }));
  for (const { range, ranks } of windows) {
    let rank = range.offset;
    for (const { v, n } of counted) {
      if (v < range.lo || v > range.hi) continue;
      for (const r of ranks) if (r >= rank && r < rank + n) values.set(r, v);
      rank += n;
    }
  }
}

/** A double as SQL that reads back as the same double (JavaScript prints the shortest such). */
function literal(x: number): string {
  return `CAST('${x}' AS DOUBLE)`;
}
