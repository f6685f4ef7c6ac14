import type { DuckDBConnection } from '@duckdb/node-api';
import type { PipelineWarning } from './errors';
import type { SourceRelation } from './source';
import type { FittedPipeline } from './steps';
import type { ColumnSchema } from './values';

export interface StepReport {
  index: number;
  op: string;
  rows: number;
  columns: number;
  schema: ColumnSchema[];
}

export interface PipelineReport {
  inputRows: number;
  outputRows: number;
  steps: StepReport[];
  warnings: PipelineWarning[];
  /** True when a blocking warning is present: an apply must not run. */
  blocked: boolean;
}

export interface ReportOptions {
  /** The user confirmed dropping more than half of the rows. */
  confirmed?: boolean;
}

/** Per-step row/column counts and warnings, computed with one DuckDB query. */
export async function pipelineReport(
  connection: DuckDBConnection,
  fitted: FittedPipeline,
  source: SourceRelation,
  options: ReportOptions = {},
): Promise<PipelineReport> {
  void connection;
  void fitted;
  void source;
  void options;
  return Promise.reject(new Error('pipelineReport: not implemented yet'));
}
