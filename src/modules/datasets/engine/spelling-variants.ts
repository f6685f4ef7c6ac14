import type { DuckDBConnection } from '@duckdb/node-api';
import { listItems, num, queryRows } from './duckdb';
import { quoteIdent, quoteLiteral } from './formats';

/** Values of one category written more than one way. */
export interface SpellingVariants {
  /** How many categories have more than one spelling. */
  groups: number;
  /** A few of them, each its spellings in order. */
  examples: string[][];
}

const EXAMPLES = 3;
/** Past this many distinct values a column is not treated as a set of categories here. */
export const SPELLING_MAX_DISTINCT = 10_000;

/**
 * Categories that differ only in letter case or surrounding white space ("Oslo", "oslo ",
 * " OSLO"): one batched count of the normalised values finds the columns that have any, then
 * one query per such column names a few. Such variants split a category in group-bys, charts
 * and one-hot encodings; ydata-profiling's DIRTY_CATEGORY alert looks for the same with fuzzy
 * matching, which this leaves out (it flags legitimately different names).
 */
export async function spellingVariants(
  connection: DuckDBConnection,
  parquetPath: string,
  columns: { index: number; name: string; distinct: number }[],
): Promise<Map<number, SpellingVariants>> {
  const found = new Map<number, SpellingVariants>();
  const wanted = columns.filter((c) => c.distinct > 1 && c.distinct <= SPELLING_MAX_DISTINCT);
  if (wanted.length === 0) return found;
  const table = `read_parquet(${quoteLiteral(parquetPath)})`;
  const normalised = (name: string): string => `lower(trim(${quoteIdent(name)}))`;
  const [counts] = await queryRows(
    connection,
    `SELECT ${wanted.map((c) => `count(DISTINCT ${normalised(c.name)}) AS "k${c.index}"`).join(', ')} FROM ${table}`,
  );
  for (const column of wanted) {
    const kept = num(counts[`k${column.index}`]) ?? column.distinct;
    if (kept >= column.distinct) continue;
    const rows = await queryRows(
      connection,
      `SELECT k, list(v ORDER BY v) AS spellings, count(*) OVER () AS groups
       FROM (SELECT ${quoteIdent(column.name)} AS v, ${normalised(column.name)} AS k
             FROM ${table} WHERE ${quoteIdent(column.name)} IS NOT NULL GROUP BY ALL)
       GROUP BY k HAVING count(*) > 1 ORDER BY k LIMIT ${EXAMPLES}`,
    );
    found.set(column.index, {
      groups: num(rows[0]?.groups) ?? 0,
      examples: rows.map((row) => listItems(row.spellings).map((item) => String(item))),
    });
  }
  return found;
}
