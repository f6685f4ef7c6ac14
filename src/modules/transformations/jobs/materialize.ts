import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteLiteral } from '../../datasets/engine/formats';
import { contentHash } from '../../datasets/engine/typed-copy';
import {
  fitPipeline,
  type FittedPipeline,
  type PipelineReport,
  pipelineReport,
  pipelineSql,
} from '../engine';

export interface Materialized {
  fitted: FittedPipeline;
  report: PipelineReport;
  contentHash: string;
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
  input: { path: string; columns: FittedPipeline['input'] },
  steps: unknown,
  outputPath: string,
  options: { confirmed: boolean },
): Promise<Materialized> {
  const source = {
    sql: `read_parquet(${quoteLiteral(input.path)}, file_row_number = true)`,
    ordered: 'file_row_number',
  };
  let started = performance.now();
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
  started = performance.now();
  const { select } = pipelineSql(fitted, source);
  await connection.run(
    `COPY (${select}) TO ${quoteLiteral(outputPath)} (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 122880)`,
  );
  const writeMs = performance.now() - started;
  started = performance.now();
  const hash = await contentHash(connection, outputPath, fitted.output);
  return { fitted, report, contentHash: hash, fitMs, writeMs, hashMs: performance.now() - started };
}
