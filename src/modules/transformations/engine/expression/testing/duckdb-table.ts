import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { openDuckDb, queryRows, withConnection } from '../../../../datasets/engine/duckdb';
import { quoteIdent, quoteLiteral } from '../../../../datasets/engine/formats';
import type { ColumnSchema } from '../../../../datasets/engine/typed-copy';
import { cellFromDuckDb, type CellValue, type Row } from '../../values';
import { formatDouble } from '../numbers';

/** Test helper: a real in-memory DuckDB holding `rows` in table "t", ordered by insertion ("_row"). */
export async function withDuckDbTable<T>(
  columns: ColumnSchema[],
  rows: Row[],
  work: (connection: DuckDBConnection) => Promise<T>,
): Promise<T> {
  const tempDirectory = await mkdtemp(join(tmpdir(), 'nml-expression-'));
  try {
    const instance = await openDuckDb({ threads: 1, memoryLimit: '256MB', tempDirectory });
    try {
      return await withConnection(instance, async (connection) => {
        const definitions = columns.map((c) => `${quoteIdent(c.name)} ${c.storageType}`);
        await connection.run(`CREATE TABLE t ("_row" BIGINT, ${definitions.join(', ')})`);
        if (rows.length > 0) {
          const values = rows.map(
            (row, i) =>
              `(${i}, ${columns.map((c) => sqlLiteral(row[c.name] ?? null, c)).join(', ')})`,
          );
          await connection.run(`INSERT INTO t VALUES ${values.join(', ')}`);
        }
        return work(connection);
      });
    } finally {
      instance.closeSync();
    }
  } finally {
    await rm(tempDirectory, { recursive: true, force: true });
  }
}

/** The rows of "t" as the TypeScript path sees them (through cellFromDuckDb). */
export async function readRows(
  connection: DuckDBConnection,
  columns: ColumnSchema[],
): Promise<Row[]> {
  const rows = await queryRows(connection, 'SELECT * FROM t ORDER BY "_row"');
  return rows.map((row) =>
    Object.fromEntries(columns.map((c) => [c.name, cellFromDuckDb(row[c.name], c.storageType)])),
  );
}

function sqlLiteral(value: CellValue, column: ColumnSchema): string {
  if (value === null) return 'NULL';
  switch (column.storageType) {
    case 'BIGINT':
      return `CAST(${value as number} AS BIGINT)`;
    case 'DOUBLE':
      return `CAST('${formatDouble(value as number)}' AS DOUBLE)`;
    case 'BOOLEAN':
      return value ? 'TRUE' : 'FALSE';
    case 'VARCHAR':
      return quoteLiteral(value as string);
    case 'DATE':
    case 'TIMESTAMP':
      return `${column.storageType} ${quoteLiteral(value as string)}`;
  }
}
