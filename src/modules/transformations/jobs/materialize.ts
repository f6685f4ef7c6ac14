import { randomBytes } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteLiteral } from '../../datasets/engine/formats';
import { contentHash } from '../../datasets/engine/typed-copy';
import {
  type ColumnSchema,
  fitPipeline,
  type FittedPipeline,
  type PipelineReport,
  pipelineReport,
  pipelineSql,
  type SourceRelation,
} from '../engine';

export interface Materialized {
  fitted: FittedPipeline;
  report: PipelineReport;
  contentHash: string;
  /** Loading the input, fitting and counting rows per step. */
  fitMs: number;
  writeMs: number;
  hashMs: number;
}

export class PipelineBlockedError extends Error {}

/**
 * Fits `steps` on the Parquet file at `inputPath`, writes the transformed table to `outputPath`
 * (Parquet, original row order) and hashes it canonically. Shared by apply and reproduce, so a
 * reproduction runs exactly the code that made the version.
 */
export async function materializePipeline(
  connection: DuckDBConnection,
  input: { path: string; columns: ColumnSchema[] },
  steps: unknown,
  outputPath: string,
  options: { confirmed: boolean },
): Promise<Materialized> {
  const started = performance.now();
  // Fitting reads the input once per learning step and the report once more: reading the Parquet
  // into a temporary table once (DuckDB spills it to disk beyond its memory limit) is cheaper than
  // decompressing the file for every pass.
  const table = `pipeline_input_${randomBytes(6).toString('hex')}`;
  await connection.run(
    `CREATE TEMP TABLE ${table} AS SELECT * FROM read_parquet(${quoteLiteral(input.path)}, file_row_number = true)`,
  );
  try {
    const source: SourceRelation = { sql: table, ordered: 'file_row_number' };
    const fitted = await fitPipeline(connection, source, steps, input.columns);
    const report = await pipelineReport(connection, fitted, source, options);
    if (report.blocked) {
      throw new PipelineBlockedError(
        `${report.warnings
          .filter((warning) => warning.blocking)
          .map((warning) => warning.message)
          .join('; ')}; apply again with "confirm": true to keep the result`,
      );
    }
    const fitMs = performance.now() - started;
    const writeStarted = performance.now();
    const { select } = pipelineSql(fitted, source);
    await connection.run(
      `COPY (${select}) TO ${quoteLiteral(outputPath)} (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 122880)`,
    );
    const writeMs = performance.now() - writeStarted;
    const hashStarted = performance.now();
    const hash = await contentHash(connection, outputPath, fitted.output);
    return {
      fitted,
      report,
      contentHash: hash,
      fitMs,
      writeMs,
      hashMs: performance.now() - hashStarted,
    };
  } finally {
    await connection.run(`DROP TABLE IF EXISTS ${table}`);
  }
}
