import type { DuckDBConnection } from '@duckdb/node-api';
import type { PipelineWarning } from './errors';
import { countPipeline, type PipelineCounts, ROW_DROPPING } from './pipeline-counts';
import type { SourceRelation } from './source';
import type { StepRelations } from './step-tables';
import type { DropMissingState, FittedPipeline } from './steps';
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
  /** Count over kept step tables instead of a chain of common table expressions. */
  relations?: StepRelations;
}

/**
 * Per-step row/column counts and warnings, with one DuckDB query (see {@link countPipeline}): row
 * counts after the steps that can drop rows (the others keep the count) and the non-missing count
 * of every output column. Dropping more than half of the input rows is a blocking warning unless
 * `confirmed`.
 */
export async function pipelineReport(
  connection: DuckDBConnection,
  fitted: FittedPipeline,
  source: SourceRelation,
  options: ReportOptions = {},
): Promise<PipelineReport> {
  const counts = await countPipeline(connection, fitted, source, {
    relations: options.relations,
    present: true,
  });
  return reportFromCounts(fitted, counts, options.confirmed);
}

/**
 * The report from counts made elsewhere. Without `counts.present` (a batch apply counts the
 * output columns while hashing the file it wrote), no column is reported as all missing.
 */
export function reportFromCounts(
  fitted: FittedPipeline,
  counts: PipelineCounts,
  confirmed = false,
): PipelineReport {
  const inputRows = counts.rows[0];
  const warnings: PipelineWarning[] = [];
  const warn = (
    step: number | null,
    code: PipelineWarning['code'],
    message: string,
    blocking = false,
  ) => warnings.push({ step, code, message, blocking });
  let rows = inputRows;
  const steps = fitted.steps.map((step) => {
    if (ROW_DROPPING.has(step.op)) {
      const after = counts.rows[step.index + 1];
      if (after < rows)
        warn(
          step.index,
          'rows_lost',
          `step ${step.index} (${step.op}) removed ${rows - after} of ${rows} rows`,
        );
      rows = after;
    }
    const dropped = (step.state as DropMissingState | undefined)?.dropped;
    if (step.op === 'drop_missing' && dropped && dropped.length > 0) {
      warn(
        step.index,
        'columns_lost',
        `step ${step.index} dropped columns with too many missing values: ${dropped.join(', ')}`,
      );
    }
    return {
      index: step.index,
      op: step.op,
      rows,
      columns: step.output.length,
      schema: step.output,
    };
  });
  fitted.output.forEach((column, i) => {
    if (rows > 0 && counts.present?.[i] === 0) {
      warn(
        null,
        'column_all_missing',
        `column '${column.name}' is missing in every row of the result`,
      );
    }
  });
  if (rows === 0) warn(null, 'empty_result', 'the pipeline leaves no rows');
  if (inputRows > 0 && rows < inputRows / 2) {
    warn(
      null,
      'majority_rows_dropped',
      `the pipeline drops ${inputRows - rows} of ${inputRows} rows (more than half)${confirmed ? ', confirmed' : '; confirm to apply'}`,
      !confirmed,
    );
  }
  return {
    inputRows,
    outputRows: rows,
    steps,
    warnings,
    blocked: warnings.some((w) => w.blocking),
  };
}
