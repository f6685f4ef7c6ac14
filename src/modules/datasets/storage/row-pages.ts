import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { DuckDBInstance } from '@duckdb/node-api';
import { DATASETS_OPTIONS, type DatasetsOptions } from '../datasets.options';
import { jsonValue, withConnection } from '../engine/duckdb';
import { quoteIdent, quoteLiteral } from '../engine/formats';
import type { ColumnSchema } from '../engine/typed-copy';

export type RowObject = Record<string, string | number | boolean | null>;

/**
 * Reads pages of rows from cached Parquet copies. A page is a few hundred values, so it gets its
 * own small DuckDB database: one thread (spreading a 100-row read over threads costs more than
 * it saves) and the Parquet footer cache on, so a file's metadata is parsed once, not per page.
 * Rows are addressed by `file_row_number`, which DuckDB compares with the row groups' row
 * ranges from the footer and so skips the row groups before the page (an OFFSET would decode
 * them).
 */
@Injectable()
export class RowPageReader implements OnApplicationShutdown {
  private instance?: Promise<DuckDBInstance>;

  constructor(@Inject(DATASETS_OPTIONS) private readonly options: DatasetsOptions) {}

  async read(
    parquetPath: string,
    columns: ColumnSchema[],
    offset: number,
    limit: number,
  ): Promise<RowObject[]> {
    if (columns.length === 0 || limit <= 0) return [];
    const select = columns.map(selectExpression).join(', ');
    const sql = `SELECT ${select} FROM read_parquet(${quoteLiteral(parquetPath)}, file_row_number=true)
      WHERE file_row_number >= ${offset} AND file_row_number < ${offset + limit}
      ORDER BY file_row_number`;
    return withConnection(await this.database(), async (connection) => {
      const reader = await connection.runAndReadAll(sql);
      return reader
        .getRows()
        .map((row) => Object.fromEntries(columns.map((c, i) => [c.name, jsonValue(row[i])])));
    });
  }

  /** Writes the copy at `parquetPath` as CSV (header, comma, UTF-8; missing as empty fields). */
  async writeCsv(parquetPath: string, csvPath: string): Promise<void> {
    await withConnection(await this.database(), (connection) =>
      connection.run(
        `COPY (SELECT * FROM read_parquet(${quoteLiteral(parquetPath)})) TO ${quoteLiteral(csvPath)} (FORMAT csv, HEADER true)`,
      ),
    );
  }

  private database(): Promise<DuckDBInstance> {
    this.instance ??= (async () => {
      const tempDirectory = join(this.options.scratchDir, 'duckdb-spill');
      await mkdir(tempDirectory, { recursive: true });
      const instance = await DuckDBInstance.create(':memory:', {
        threads: '1',
        memory_limit: '256MB',
        temp_directory: tempDirectory,
        autoinstall_known_extensions: 'false',
        autoload_known_extensions: 'true',
      });
      // A Parquet setting: only once the (built-in) Parquet extension is loaded.
      await withConnection(instance, (connection) =>
        connection.run('LOAD parquet; SET GLOBAL parquet_metadata_cache = true'),
      );
      return instance;
    })();
    return this.instance;
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.instance) return;
    const instance = await this.instance.catch(() => undefined);
    instance?.closeSync();
  }
}

/** Dates and timestamps as ISO text; everything else as DuckDB returns it. */
function selectExpression(column: ColumnSchema): string {
  const c = quoteIdent(column.name);
  if (column.storageType === 'DATE') return `strftime(${c}, '%Y-%m-%d')`;
  if (column.storageType === 'TIMESTAMP') return `strftime(${c}, '%Y-%m-%dT%H:%M:%S.%g')`;
  return c;
}
