import type { DuckDBConnection } from '@duckdb/node-api';
import { num, queryRows } from './duckdb';
import { quoteIdent, quoteLiteral } from './formats';

/** What the profile needs to know of a numeric column before its one scan. */
export interface NumericBounds {
  min: number;
  max: number;
  /** Whether any value is missing (pairwise correlations then need per-pair sums). */
  hasMissing: boolean;
  /** Whether any value is ±infinity (min and max are then those of the finite values). */
  hasInfinite: boolean;
  /**
   * At most this many distinct values: the sum over row groups of their distinct count where
   * the writer recorded one (DuckDB does for dictionary-encoded chunks), else of their values.
   */
  distinctAtMost: number;
}

/**
 * Min, max and missing values of numeric columns from the Parquet footer's row-group
 * statistics (no data read); the columns whose statistics are absent, unusable or infinite get
 * a small scan instead, which takes min and max over the finite values. Keyed by column index.
 * The profile checks them against the min and max its scan computes, so a writer with odd
 * statistics costs time, never correctness.
 */
export async function numericBounds(
  connection: DuckDBConnection,
  parquetPath: string,
  columns: { name: string; index: number }[],
): Promise<Map<number, NumericBounds>> {
  const bounds = new Map<number, NumericBounds>();
  if (columns.length === 0) return bounds;
  const wanted = new Set(columns.map((c) => c.index));
  const rows = await queryRows(
    connection,
    `SELECT column_id AS id,
       min(TRY_CAST(stats_min_value AS DOUBLE)) AS lo, max(TRY_CAST(stats_max_value AS DOUBLE)) AS hi,
       sum(stats_null_count) AS missing,
       sum(coalesce(stats_distinct_count, num_values - coalesce(stats_null_count, 0))) AS distinct_bound,
       count(*) FILTER (WHERE stats_null_count IS NULL
         OR (stats_null_count < num_values AND (TRY_CAST(stats_min_value AS DOUBLE) IS NULL
           OR TRY_CAST(stats_max_value AS DOUBLE) IS NULL))) AS unusable
     FROM parquet_metadata(${quoteLiteral(parquetPath)}) GROUP BY column_id`,
  );
  for (const row of rows) {
    const id = num(row.id) ?? -1;
    const lo = num(row.lo);
    const hi = num(row.hi);
    // num() reads ±infinity as null too: such a footer leaves the column to the scan below.
    if (!wanted.has(id) || (num(row.unusable) ?? 1) > 0 || lo === null || hi === null) continue;
    bounds.set(id, {
      min: lo,
      max: hi,
      hasMissing: (num(row.missing) ?? 1) > 0,
      hasInfinite: false,
      distinctAtMost: num(row.distinct_bound) ?? Infinity,
    });
  }
  const unknown = columns.filter((c) => !bounds.has(c.index));
  if (unknown.length > 0) {
    const parts = unknown.flatMap(({ name, index }) => {
      const x = `CAST(${quoteIdent(name)} AS DOUBLE)`;
      const finite = `CASE WHEN isfinite(${x}) THEN ${x} END`;
      return [
        `min(${finite}) AS "lo${index}"`,
        `max(${finite}) AS "hi${index}"`,
        `count_if(isinf(${x})) AS "inf${index}"`,
      ];
    });
    const [row] = await queryRows(
      connection,
      `SELECT count(*) AS n, ${unknown.map((c) => `count(${quoteIdent(c.name)}) AS "n${c.index}"`).join(', ')}, ${parts.join(', ')}
       FROM read_parquet(${quoteLiteral(parquetPath)})`,
    );
    for (const { index } of unknown) {
      const lo = num(row[`lo${index}`]);
      const hi = num(row[`hi${index}`]);
      if (lo === null || hi === null) continue; // no finite values at all: nothing to bin
      bounds.set(index, {
        min: lo,
        max: hi,
        hasMissing: num(row[`n${index}`]) !== num(row.n),
        hasInfinite: (num(row[`inf${index}`]) ?? 0) > 0,
        distinctAtMost: Infinity,
      });
    }
  }
  return bounds;
}
