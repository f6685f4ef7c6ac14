import type { DuckDBConnection } from '@duckdb/node-api';
import { num, queryRows } from '../../datasets/engine/duckdb';
import { quoteIdent } from '../../datasets/engine/formats';
import type { PipelineWarning } from './errors';
import { stepCtes } from './pipeline-sql';
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
  /**
   * Count over kept step tables (made when missing) instead of a chain of common table
   * expressions; the caller can then read the result from `relations.relation(steps)`.
   */
  relations?: StepRelations;
}

const ROW_DROPPING = new Set(['filter', 'drop_missing', 'deduplicate']);

/**
 * Per-step row/column counts and warnings, with one DuckDB query (over a chain of common table
 * expressions, or over kept step tables when `relations` is given): row counts after the steps that
 * can drop rows (the others keep the count) and the non-missing count of every output column.
 * Dropping more than half of the input rows is a blocking warning unless `confirmed`.
 */
export async function pipelineReport(
  connection: DuckDBConnection,
  fitted: FittedPipeline,
  source: SourceRelation,
  options: ReportOptions = {},
): Promise<PipelineReport> {
  const last = fitted.steps.length;
  const counted = fitted.steps
    .filter((step) => ROW_DROPPING.has(step.op) && step.index + 1 !== last)
    .map((step) => step.index + 1);
  const { relations } = options;
  let prefix = '';
  const relation = (at: number): string => (relations ? relations.relation(at) : `t${at}`);
  if (relations) {
    for (const at of [0, ...counted, last]) await relations.ensure(at);
  } else {
    prefix = `WITH ${stepCtes(fitted.input, fitted.steps, source).join(', ')}`;
  }
  // One single-row subquery per relation read, not one per figure: DuckDB inlines CTEs, so every
  // extra reference of the last step would run the whole pipeline again.
  const finalCounts = [
    `count(*) AS rows_${last}`,
    ...fitted.output.map((column, i) => `count(${quoteIdent(column.name)}) AS present_${i}`),
  ];
  const subqueries = [
    ...(last === 0 ? [] : [`(SELECT count(*) AS rows_0 FROM ${relation(0)})`]),
    ...counted.map((at) => `(SELECT count(*) AS rows_${at} FROM ${relation(at)})`),
    `(SELECT ${finalCounts.join(', ')} FROM ${relation(last)})`,
  ];
  const [row] = await queryRows(
    connection,
    `${prefix} SELECT * FROM ${subqueries.join(' CROSS JOIN ')}`,
  );
  const inputRows = num(row.rows_0) ?? 0;
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
      const after = num(row[`rows_${step.index + 1}`]) ?? 0;
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
    if (rows > 0 && num(row[`present_${i}`]) === 0) {
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
      `the pipeline drops ${inputRows - rows} of ${inputRows} rows (more than half)${options.confirmed ? ', confirmed' : '; confirm to apply'}`,
      !options.confirmed,
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
