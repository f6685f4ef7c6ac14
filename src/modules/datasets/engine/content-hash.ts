import { createHash } from 'node:crypto';
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { num, queryRows } from './duckdb';
import { quoteIdent, quoteLiteral } from './formats';
import type { ColumnSchema } from './typed-copy';

/**
 * Canonical content hash of a typed table, independent of the file format it came from and of
 * the Parquet row-group layout: sha256 over the line `[[name, storageType], …]` (JSON), then
 * `\nrows <n>\n<sum>\n<xor>`, where, with `h` DuckDB's 64-bit `hash(v1, …, vk)` of a row,
 * `sum` is the exact (HUGEINT) sum over rows of `hash(row number, h)` and `xor` the bit-xor of
 * `hash(h, row number)`. The row number makes order part of the content; both summaries are
 * order-free to compute, so one parallel scan suffices, and the profile's duplicate count
 * shares `h` (see {@link ROW_HASH}). 128 bits of non-cryptographic row hashes: a duplicate
 * detector, not a tamper seal; DuckDB's `hash` may change across major releases, which would
 * only make old and new uploads of one table stop matching as duplicates.
 */
export async function contentHash(
  connection: DuckDBConnection,
  parquetPath: string,
  columns: ColumnSchema[],
): Promise<string> {
  return (await hashScan(connection, parquetPath, columns, false)).contentHash;
}

/**
 * {@link contentHash} plus the non-missing count of each column, from the same scan (a caller
 * that needs both reads the file once).
 */
export function hashAndCountParquet(
  connection: DuckDBConnection,
  parquetPath: string,
  columns: ColumnSchema[],
): Promise<{ contentHash: string; present: number[] }> {
  return hashScan(connection, parquetPath, columns, true);
}

/** The alias of the row hash column that {@link rowHashSelect} adds. */
export const ROW_HASH = '"nml_row_hash"';

/** Select-list items that add the row hash (and keep the row number) to a scan. */
export function rowHashSelect(columns: ColumnSchema[]): string {
  return `hash(${columns.map((c) => quoteIdent(c.name)).join(', ')}) AS ${ROW_HASH}, file_row_number`;
}

/** The aggregates over {@link rowHashSelect}'s columns that {@link contentHashOf} reads. */
export const CONTENT_HASH_AGGREGATES = `count(*) AS "hash_n", sum(hash(file_row_number, ${ROW_HASH})) AS "hash_sum",
  bit_xor(hash(${ROW_HASH}, file_row_number)) AS "hash_xor"`;

/** The content hash from a row holding {@link CONTENT_HASH_AGGREGATES}. */
export function contentHashOf(columns: ColumnSchema[], row: Record<string, DuckDBValue>): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(columns.map((column) => [column.name, column.storageType])));
  hash.update(
    `\nrows ${String(row.hash_n)}\n${String(row.hash_sum ?? 0)}\n${String(row.hash_xor ?? 0)}`,
  );
  return hash.digest('hex');
}

async function hashScan(
  connection: DuckDBConnection,
  parquetPath: string,
  columns: ColumnSchema[],
  countPresent: boolean,
): Promise<{ contentHash: string; present: number[] }> {
  // Columns renamed to "c<i>" so that no user column can collide with the scan's own names.
  const present = countPresent ? columns.map((_, i) => `, count("c${i}") AS p${i}`).join('') : '';
  const renamed = countPresent
    ? columns.map((column, i) => `, ${quoteIdent(column.name)} AS "c${i}"`).join('')
    : '';
  const [row] = await queryRows(
    connection,
    `SELECT ${CONTENT_HASH_AGGREGATES}${present}
     FROM (SELECT ${rowHashSelect(columns)}${renamed}
       FROM read_parquet(${quoteLiteral(parquetPath)}, file_row_number=true))`,
  );
  return {
    contentHash: contentHashOf(columns, row),
    present: countPresent ? columns.map((_, i) => num(row[`p${i}`]) ?? 0) : [],
  };
}
