import { Injectable } from '@nestjs/common';
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
  StepRelations,
} from '../engine';
import { invalidPipeline } from '../transformations.errors';
import { type PreviewSample, PreviewSamples } from './preview-samples';

export interface PreviewOutcome {
  sample: Omit<PreviewSample, 'versionId' | 'source' | 'fits'>;
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
      const tables = this.samples.stepTables(connection, sample);
      try {
        let fitted: FittedPipeline;
        try {
          fitted = await fitPipeline(connection, sample.source, steps, version.columns, {
            cache: sample.fits,
            tables,
          });
        } catch (error) {
          if (error instanceof PipelineValidationError) throw invalidPipeline(error);
          throw error;
        }
        const relations = new StepRelations(tables, sample.source, fitted.input, fitted.steps);
        const report = await pipelineReport(connection, fitted, sample.source, {
          confirmed: options.confirmed,
          relations,
        });
        const result = relations.relation(fitted.steps.length);
        const rows = await firstRows(connection, result, fitted.output, options.limit);
        return { fitted, report, rows };
      } finally {
        await tables.release();
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

/** The first `limit` rows of a result table (quoted name), in dataset order, as typed cells. */
async function firstRows(
  connection: DuckDBConnection,
  table: string,
  columns: ColumnSchema[],
  limit: number,
): Promise<Row[]> {
  if (limit <= 0) return [];
  const reader = await connection.runAndReadAll(
    `SELECT ${columns.map((c) => quoteIdent(c.name)).join(', ')} FROM ${table}
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
