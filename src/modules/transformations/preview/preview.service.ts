import { Injectable } from '@nestjs/common';
import type { DuckDBConnection } from '@duckdb/node-api';
import { withConnection } from '../../datasets/engine/duckdb';
import { quoteIdent } from '../../datasets/engine/formats';
import type { VersionRecord } from '../../datasets/dataset-records.service';
import {
  cellFromDuckDb,
  type ColumnSchema,
  fitPipeline,
  type FittedPipeline,
  type PipelineReport,
  PipelineValidationError,
  countPipeline,
  reportFromCounts,
  ROW_ORDER_COLUMN,
  type Row,
  StepRelations,
} from '../engine';
import { invalidPipeline } from '../transformations.errors';
import { type PreviewSample, PreviewSamples } from './preview-samples';

export interface PreviewOutcome {
  sample: Pick<PreviewSample, 'rows' | 'totalRows' | 'sampled' | 'method'>;
  fitted: FittedPipeline;
  report: PipelineReport;
  rows: Row[];
  elapsedMs: number;
}

/** Results with more rows than this are not kept: memory for the common small pages only. */
const CACHED_ROWS_LIMIT = 100;

/** Fits and runs a pipeline on a version's preview sample (in the API process, in DuckDB). */
@Injectable()
export class PreviewService {
  constructor(private readonly samples: PreviewSamples) {}

  async run(
    version: VersionRecord & { columns: NonNullable<VersionRecord['columns']> },
    steps: unknown[],
    options: { limit: number; confirmed: boolean },
  ): Promise<PreviewOutcome> {
    // Held until the preview ends: a sample forgotten meanwhile keeps its table until then.
    const sample = await this.samples.acquire(version);
    const started = performance.now();
    let outcome: Pick<PreviewOutcome, 'fitted' | 'report' | 'rows'>;
    try {
      outcome = await this.runOnSample(sample, version.columns, steps, options);
    } finally {
      await this.samples.release(sample);
    }
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

  private async runOnSample(
    sample: PreviewSample,
    columns: ColumnSchema[],
    steps: unknown[],
    options: { limit: number; confirmed: boolean },
  ): Promise<Pick<PreviewOutcome, 'fitted' | 'report' | 'rows'>> {
    return withConnection(await this.samples.database(), async (connection) => {
      const tables = this.samples.stepTables(connection, sample);
      try {
        let fitted: FittedPipeline;
        try {
          fitted = await fitPipeline(connection, sample.source, steps, columns, {
            cache: sample.fits,
            tables,
          });
        } catch (error) {
          if (error instanceof PipelineValidationError) throw invalidPipeline(error);
          throw error;
        }
        // The fitted steps say everything about the result (the sample never changes).
        const key = JSON.stringify([fitted.steps, options.limit]);
        let result = sample.results.get(key);
        if (!result) {
          const relations = new StepRelations(tables, sample.source, fitted.input, fitted.steps);
          const counts = await countPipeline(connection, fitted, sample.source, {
            relations,
            present: true,
          });
          const last = await relations.from(fitted.steps.length);
          result = {
            counts,
            rows: await firstRows(connection, last, fitted.output, options.limit),
          };
          if (options.limit <= CACHED_ROWS_LIMIT) sample.results.set(key, result);
        }
        const report = reportFromCounts(fitted, result.counts, options.confirmed);
        return { fitted, report, rows: result.rows };
      } finally {
        await tables.release();
      }
    });
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
