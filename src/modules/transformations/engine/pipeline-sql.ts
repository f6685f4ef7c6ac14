import { quoteIdent } from '../../datasets/engine/formats';
import type { SourceRelation } from './source';
import { ROW_ORDER_COLUMN, stepSql } from './step-sql';
import type { FittedPipeline, FittedStep } from './steps';
import type { ColumnSchema } from './values';

export { ROW_ORDER_COLUMN };

export interface PipelineSql {
  /** A full SELECT of the transformed table in the original row order (usable in COPY (...) TO). */
  select: string;
  /** stepSelects[i]: a full SELECT of the table after step i, in row order. */
  stepSelects: string[];
}

const ROW = quoteIdent(ROW_ORDER_COLUMN);

/** The input columns of `source` plus the engine's row-order column. */
export function baseSql(source: SourceRelation, input: ColumnSchema[]): string {
  const order = source.ordered
    ? `CAST(${quoteIdent(source.ordered)} AS BIGINT)`
    : 'row_number() OVER ()';
  const columns = input.map((column) => quoteIdent(column.name));
  return `SELECT ${[...columns, `${order} AS ${ROW}`].join(', ')} FROM ${source.sql}`;
}

/**
 * The common table expressions t0 (the source) … tN (after step N-1), each step reading the one
 * before; DuckDB inlines them into one pipeline.
 */
export function stepCtes(
  input: ColumnSchema[],
  steps: FittedStep[],
  source: SourceRelation,
): string[] {
  const ctes = [`t0 AS (${baseSql(source, input)})`];
  let schema = input;
  steps.forEach((step, i) => {
    ctes.push(`t${i + 1} AS (${stepSql(step, schema, `t${i}`)})`);
    schema = step.output;
  });
  return ctes;
}

/** A full SELECT of the named columns of CTE `t<at>`, in row order. */
export function selectFrom(ctes: string[], at: number, schema: ColumnSchema[]): string {
  const columns = schema.map((column) => quoteIdent(column.name)).join(', ');
  return `WITH ${ctes.slice(0, at + 1).join(', ')} SELECT ${columns} FROM t${at} ORDER BY ${ROW}`;
}

/** SQL that produces the transformed table in the original row order, and each step's table. */
export function pipelineSql(fitted: FittedPipeline, source: SourceRelation): PipelineSql {
  const ctes = stepCtes(fitted.input, fitted.steps, source);
  return {
    select: selectFrom(ctes, fitted.steps.length, fitted.output),
    stepSelects: fitted.steps.map((step, i) => selectFrom(ctes, i + 1, step.output)),
  };
}
