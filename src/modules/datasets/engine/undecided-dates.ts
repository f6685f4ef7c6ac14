import type { DuckDBConnection } from '@duckdb/node-api';
import { num, queryRows } from './duckdb';
import { quoteIdent, quoteLiteral } from './formats';
import { DAY_FIRST_DATETIME_RE, MONTH_FIRST_DATETIME_RE } from './lexical-types';
import type { Scalar } from './profiler';

/** The SQL patterns as JavaScript regular expressions (RE2's \s: no vertical tab). */
const asJs = (pattern: string): RegExp => new RegExp(pattern.replaceAll('\\s', '[\\t\\n\\f\\r ]'));
const DAY_FIRST = asJs(DAY_FIRST_DATETIME_RE);
const MONTH_FIRST = asJs(MONTH_FIRST_DATETIME_RE);
const fitsBoth = (text: string): boolean => DAY_FIRST.test(text) && MONTH_FIRST.test(text);

/**
 * Text columns whose every value is a calendar date (or date and time) that reads both day first
 * and month first (01/02/2024, 01/02/2024 10:00): typing left them text (ADR 13), and the profile says why and what to do. Only
 * columns whose samples all look so are checked, in one query over the whole column each.
 */
export async function undecidedDateColumns(
  connection: DuckDBConnection,
  parquetPath: string,
  columns: { index: number; name: string; samples: Scalar[] }[],
): Promise<number[]> {
  const suspects = columns.filter(
    (c) => c.samples.length > 0 && c.samples.every((v) => typeof v === 'string' && fitsBoth(v)),
  );
  if (suspects.length === 0) return [];
  const both = (name: string): string =>
    `regexp_full_match(${quoteIdent(name)}, '${DAY_FIRST_DATETIME_RE}') AND regexp_full_match(${quoteIdent(name)}, '${MONTH_FIRST_DATETIME_RE}')`;
  const [row] = await queryRows(
    connection,
    `SELECT ${suspects
      .map(
        (c) =>
          `count(${quoteIdent(c.name)}) AS "n${c.index}", count_if(${both(c.name)}) AS "b${c.index}"`,
      )
      .join(', ')} FROM read_parquet(${quoteLiteral(parquetPath)})`,
  );
  return suspects
    .filter((c) => {
      const present = num(row[`n${c.index}`]) ?? 0;
      return present > 0 && num(row[`b${c.index}`]) === present;
    })
    .map((c) => c.index);
}
