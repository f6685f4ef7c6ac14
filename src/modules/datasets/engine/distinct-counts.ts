import type { DuckDBConnection } from '@duckdb/node-api';
import { num, queryRows } from './duckdb';
import { quoteLiteral } from './formats';

/**
 * At most this many exact distinct counts share a query: each holds its own hash tables
 * (≈ 2.5 MB before the first value), and 300 of them in one query exhausted a 768 MB DuckDB.
 */
export const DISTINCT_COUNTS_PER_QUERY = 32;
/**
 * Integer columns spanning at most this many values are counted in a bitset
 * (`bitstring_agg`: one bit per possible value, then `bit_count`) instead of a hash table: a
 * 1M-row identifier took 16 ms instead of 95. Each DuckDB thread holds one bitset per column,
 * 2 MB at this size, so a batch stays within ≈ 128 MB.
 */
export const BITSET_MAX_VALUES = 2 ** 24;
/**
 * …and at most this many values per row: setting a bit is cheap, but the bitset's pages cost
 * by range, and a range 100 times the row count costs as much as hashing (measured at 1M rows).
 */
export const BITSET_MAX_VALUES_PER_ROW = 16;

/** A column to count: its value expression and, for integers, the footer's bounds. */
export interface DistinctTarget {
  index: number;
  value: string;
  /** An integer column's smallest and largest values, when known (see numeric-bounds.ts). */
  integerBounds?: { min: number; max: number };
}

/** Whether `bounds` are tight enough for the bitset count at `rowCount` rows. */
export function fitsBitset(
  bounds: { min: number; max: number } | undefined,
  rowCount: number,
): bounds is { min: number; max: number } {
  if (!bounds || !Number.isSafeInteger(bounds.min) || !Number.isSafeInteger(bounds.max))
    return false;
  const values = bounds.max - bounds.min + 1;
  return values <= BITSET_MAX_VALUES && values <= BITSET_MAX_VALUES_PER_ROW * Math.max(1, rowCount);
}

/**
 * Exact distinct counts of each target's non-missing values, keyed by column index, in queries
 * of bounded width. Bitset counts trust the footer's bounds only as far as the data agrees: a
 * value outside them (a foreign writer's odd statistics) sends that column to a hash count.
 */
export async function distinctCounts(
  connection: DuckDBConnection,
  parquetPath: string,
  targets: DistinctTarget[],
  rowCount: number,
): Promise<Map<number, number>> {
  const counts = new Map<number, number>();
  const hashed = targets.filter((t) => !fitsBitset(t.integerBounds, rowCount));
  const bitset = targets.filter((t) => fitsBitset(t.integerBounds, rowCount));
  for (const batch of batches(bitset)) {
    const [row] = await queryRows(
      connection,
      `SELECT ${batch.map(bitsetAggregates).join(', ')} FROM read_parquet(${quoteLiteral(parquetPath)})`,
    );
    for (const target of batch) {
      if ((num(row[`out${target.index}`]) ?? 0) > 0) hashed.push(target);
      else counts.set(target.index, num(row[`d${target.index}`]) ?? 0);
    }
  }
  for (const batch of batches(hashed)) {
    const [row] = await queryRows(
      connection,
      `SELECT ${batch.map(({ index, value }) => `count(DISTINCT ${value}) AS "d${index}"`).join(', ')}
       FROM read_parquet(${quoteLiteral(parquetPath)})`,
    );
    for (const { index } of batch) counts.set(index, num(row[`d${index}`]) ?? 0);
  }
  return counts;
}

/** The bit count of the values within the bounds, and how many fall outside them. */
function bitsetAggregates({ index, value, integerBounds }: DistinctTarget): string {
  const { min, max } = integerBounds!;
  const inside = `(${value}) BETWEEN ${min} AND ${max}`;
  // bitstring_agg fails on a value outside its range: those are left out and counted instead.
  return `bit_count(bitstring_agg(CASE WHEN ${inside} THEN (${value})::BIGINT END, ${min}::BIGINT, ${max}::BIGINT)) AS "d${index}",
    count_if(NOT ${inside}) AS "out${index}"`;
}

function batches<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += DISTINCT_COUNTS_PER_QUERY)
    out.push(items.slice(start, start + DISTINCT_COUNTS_PER_QUERY));
  return out;
}
