import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../../datasets/engine/duckdb';
import { quoteLiteral } from '../../datasets/engine/formats';
import { pipelineSql } from './pipeline-sql';
import type { SourceRelation } from './source';
import type { FittedPipeline } from './steps';
import { cellFromDuckDb } from './values';
import type { ColumnSchema, Row } from './values';

/** Test support (not used by the engine): a DuckDB connection, a Parquet copy, both paths' rows. */
export class EngineTestBed {
  private constructor(
    readonly connection: DuckDBConnection,
    private readonly instance: DuckDBInstance,
    readonly dir: string,
  ) {}

  static async open(): Promise<EngineTestBed> {
    const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    const connection = await instance.connect();
    return new EngineTestBed(connection, instance, mkdtempSync(join(tmpdir(), 'nml-transform-')));
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Writes `select` to a Parquet file and returns it as a source relation with its row order. */
  async parquet(name: string, select: string): Promise<SourceRelation> {
    const path = join(this.dir, `${name}.parquet`);
    await this.connection.run(`COPY (${select}) TO ${quoteLiteral(path)} (FORMAT parquet)`);
    return {
      sql: `read_parquet(${quoteLiteral(path)}, file_row_number = true)`,
      ordered: 'file_row_number',
    };
  }

  async rows(sql: string, schema: ColumnSchema[]): Promise<Row[]> {
    return (await queryRows(this.connection, sql)).map((raw) => {
      const row: Row = {};
      for (const column of schema)
        row[column.name] = cellFromDuckDb(raw[column.name], column.storageType);
      return row;
    });
  }

  /** The source's rows in order, as the TypeScript path receives them. */
  async sourceRows(source: SourceRelation, schema: ColumnSchema[]): Promise<Row[]> {
    return this.rows(`SELECT * FROM ${source.sql} ORDER BY ${source.ordered}`, schema);
  }

  /** The DuckDB path's output (pipelineSql) converted to cells. */
  async duckDbOutput(fitted: FittedPipeline, source: SourceRelation): Promise<Row[]> {
    return this.rows(pipelineSql(fitted, source).select, fitted.output);
  }
}

/** Numbers within `tolerance` relative (absolute below 1), everything else identical. */
export function cellsMatch(a: unknown, b: unknown, tolerance = 1e-12): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    return a === b || Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(a), Math.abs(b));
  }
  return a === b;
}

/** The cells that differ, as readable strings (empty when the tables match). */
export function tableDifferences(actual: Row[], expected: Row[], tolerance = 1e-12): string[] {
  const differences: string[] = [];
  if (actual.length !== expected.length)
    differences.push(`rows: ${actual.length} vs ${expected.length}`);
  expected.forEach((row, i) => {
    const other = actual[i] ?? {};
    if (Object.keys(other).join() !== Object.keys(row).join()) {
      differences.push(
        `row ${i} columns: ${Object.keys(other).join()} vs ${Object.keys(row).join()}`,
      );
    }
    for (const [name, value] of Object.entries(row)) {
      if (!cellsMatch(other[name], value, tolerance)) {
        differences.push(
          `row ${i} ${name}: ${JSON.stringify(other[name])} vs ${JSON.stringify(value)}`,
        );
      }
    }
  });
  return differences.slice(0, 20);
}
