import { Injectable } from '@nestjs/common';
import { withConnection } from '../../datasets/engine/duckdb';
import type { VersionRecord } from '../../datasets/dataset-versions.repository';
import {
  cellFromDuckDb,
  fitPipeline,
  type FittedPipeline,
  type PipelineReport,
  PipelineValidationError,
  pipelineReport,
  pipelineSql,
  type Row,
} from '../engine';
import { invalidPipeline } from '../transformations.errors';
import { type PreviewSample, PreviewSamples } from './preview-samples';

export interface PreviewOutcome {
  sample: Omit<PreviewSample, 'source'>;
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
        fitted = await fitPipeline(connection, sample.source, steps, version.columns);
      } catch (error) {
        if (error instanceof PipelineValidationError) throw invalidPipeline(error);
        throw error;
      }
      const report = await pipelineReport(connection, fitted, sample.source, {
        confirmed: options.confirmed,
      });
      let rows: Row[] = [];
      if (options.limit > 0) {
        const { select } = pipelineSql(fitted, sample.source);
        // Directly after the ORDER BY, so DuckDB keeps the top rows instead of sorting them all.
        const reader = await connection.runAndReadAll(`${select} LIMIT ${options.limit}`);
        const columns = fitted.output;
        rows = reader
          .getRows()
          .map((values) =>
            Object.fromEntries(
              columns.map((column, i) => [
                column.name,
                cellFromDuckDb(values[i], column.storageType),
              ]),
            ),
          );
      }
      return { fitted, report, rows };
    });
    const { source, ...described } = sample;
    void source;
    return { ...outcome, sample: described, elapsedMs: performance.now() - started };
  }
}
