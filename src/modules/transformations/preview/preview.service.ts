import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { withConnection } from '../../datasets/engine/duckdb';
import { quoteIdent } from '../../datasets/engine/formats';
import type { VersionRecord } from '../../datasets/dataset-versions.repository';
import {
  cellFromDuckDb,
  type ColumnSchema,
  fitPipeline,
  type FittedPipeline,
  type PipelineReport,
  PipelineValidationError,
  pipelineReport,
  ROW_ORDER_COLUMN,
  type Row,
} from '../engine';
import { invalidPipeline } from '../transformations.errors';
import { type PreviewSample, PreviewSamples } from './preview-samples';

export interface PreviewOutcome {
  sample: Omit<PreviewSample, 'source' | 'fits'>;
  fitted: FittedPipeline;
  report: PipelineReport;
  rows: Row[];
  elapsedMs: number;
}

/** Fits and runs a pipeline on a version's preview sample (in the API process, in DuckDB). */
@Injectable()
export class PreviewService {
  constructor(private readonly samples: PreviewSamples) {}

  async run(
    version: VersionRecord & { columns: NonNullable<VersionRecord['columns']> },
    steps: unknown[],
    options: { limit: number; confirmed: boolean },
  ): Promise<PreviewOutcome> {
    const sample = await this.samples.sample(version);
    const started = performance.now();
    const outcome = await withConnection(await this.samples.database(), async (connection) => {
      let fitted: FittedPipeline;
      try {
        fitted = await fitPipeline(connection, sample.source, steps, version.columns, {
          cache: sample.fits,
        });
      } catch (error) {
        if (error instanceof PipelineValidationError) throw invalidPipeline(error);
        throw error;
      }
      // The report keeps the result, so the first rows are read from it, not computed again.
      const result = `preview_result_${randomBytes(6).toString('hex')}`;
      try {
        const report = await pipelineReport(connection, fitted, sample.source, {
          confirmed: options.confirmed,
          keepResultAs: result,
        });
        const rows = await firstRows(connection, result, fitted.output, options.limit);
        return { fitted, report, rows };
      } finally {
        await connection.run(`DROP TABLE IF EXISTS ${quoteIdent(result)}`);
      }
    });
    return {
      ...outcome,
      sample: {
        rows: sample.rows,
        totalRows: sample.totalRows,
        sampled: sample.sampled,
        method: sample.method,
      },
      elapsedMs: performance.now() - started,
    };
  }
}

/** The first `limit` rows of a kept result table, in dataset order, as typed cells. */
async function firstRows(
  connection: DuckDBConnection,
  table: string,
  columns: ColumnSchema[],
  limit: number,
): Promise<Row[]> {
  if (limit <= 0) return [];
  const reader = await connection.runAndReadAll(
    `SELECT ${columns.map((c) => quoteIdent(c.name)).join(', ')} FROM ${quoteIdent(table)}
     ORDER BY ${quoteIdent(ROW_ORDER_COLUMN)} LIMIT ${limit}`,
  );
  return reader
    .getRows()
    .map((values) =>
      Object.fromEntries(
        columns.map((column, i) => [column.name, cellFromDuckDb(values[i], column.storageType)]),
      ),
    );
}
