import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { listItems, num, queryRows } from './duckdb';
import { quoteIdent } from './formats';

export const TOP_CATEGORIES = 10;

/**
 * Cells one top-categories query covers. Every GROUP BY costs DuckDB ≈ 8 ms to set up whatever
 * it groups, so tall tables get a query per column while wide ones share a query over an
 * UNPIVOT: a 5,000-row table's 500 text columns took 4.5 s one by one and 0.3 s in batches. One
 * column of 1M rows takes half as long on its own as through an UNPIVOT.
 */
const CELLS_PER_QUERY = 1_000_000;

export interface ValueCount {
  value: string;
  count: number;
}

/**
 * The TOP_CATEGORIES most frequent values (as text; ties in text order) of the columns at
 * `indices` of `relation`, keyed by column index. Missing values are not categories.
 */
export async function topCategoryCounts(
  connection: DuckDBConnection,
  relation: string,
  names: string[],
  indices: number[],
  rowCount: number,
): Promise<Map<number, ValueCount[]>> {
  const counts = new Map<number, ValueCount[]>();
  const width = Math.max(1, Math.floor(CELLS_PER_QUERY / Math.max(rowCount, 1)));
  for (let start = 0; start < indices.length; start += width) {
    const batch = indices.slice(start, start + width);
    if (batch.length === 1) {
      const c = quoteIdent(names[batch[0]]);
      const rows = await queryRows(
        connection,
        `SELECT CAST(${c} AS VARCHAR) AS v, count(*) AS n FROM ${relation} WHERE ${c} IS NOT NULL
         GROUP BY ${c} ORDER BY n DESC, v LIMIT ${TOP_CATEGORIES}`,
      );
      counts.set(
        batch[0],
        rows.map((r) => ({ value: String(r.v), count: num(r.n) ?? 0 })),
      );
      continue;
    }
    // "k<i>" names keep the user's column names out of the UNPIVOT's own (k, v).
    const keys = batch.map((i) => `"k${i}"`);
    const rows = await queryRows(
      connection,
      `WITH cells AS (
         UNPIVOT (SELECT ${batch.map((i, k) => `CAST(${quoteIdent(names[i])} AS VARCHAR) AS ${keys[k]}`).join(', ')}
                  FROM ${relation})
         ON ${keys.join(', ')} INTO NAME k VALUE v),
       grouped AS (SELECT k, v, count(*) AS n FROM cells GROUP BY k, v)
       SELECT k, min({'m': -n, 'v': v}, ${TOP_CATEGORIES}) AS top FROM grouped GROUP BY k`,
    );
    for (const i of batch) counts.set(i, []);
    for (const row of rows) counts.set(Number(String(row.k).slice(1)), rankedPairs(row.top));
  }
  return counts;
}

/** The `min({m: -count, v: value}, N)` list back as value counts, most frequent first. */
function rankedPairs(value: DuckDBValue | undefined): ValueCount[] {
  const pairs = listItems(value) as unknown as { entries: { m: DuckDBValue; v: DuckDBValue } }[];
  return pairs.map(({ entries }) => ({
    value: String(entries.v),
    count: -(num(entries.m) ?? 0),
  }));
}
