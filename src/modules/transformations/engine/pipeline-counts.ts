import type { DuckDBConnection } from '@duckdb/node-api';
import { num, queryRows } from '../../datasets/engine/duckdb';
import { quoteIdent } from '../../datasets/engine/formats';
import { stepCtes } from './pipeline-sql';
import type { SourceRelation } from './source';
import type { StepRelations } from './step-tables';
import type { FittedPipeline } from './steps';

/** Steps that can remove rows: the report counts the rows after each of them. */
export const ROW_DROPPING = new Set(['filter', 'drop_missing', 'deduplicate']);

export interface PipelineCounts {
  /** rows[at]: the rows after the first `at` steps, for 0, each row-dropping step and the last. */
  rows: Record<number, number>;
  /** The non-missing count of each output column, when counted. */
  present?: number[];
}

/**
 * Counts rows after the steps that can drop rows and, with `present`, the non-missing values of
 * every output column, in one query: over a chain of common table expressions, or over kept step
 * tables and short inlined stretches when `relations` is given. Without `present` DuckDB reads only the
 * columns the row-dropping steps look at.
 */
export async function countPipeline(
  connection: DuckDBConnection,
  fitted: FittedPipeline,
  source: SourceRelation,
  options: { relations?: StepRelations; present: boolean },
): Promise<PipelineCounts> {
  const last = fitted.steps.length;
  const counted = fitted.steps
    .filter((step) => ROW_DROPPING.has(step.op) && step.index + 1 !== last)
    .map((step) => step.index + 1);
  const { relations } = options;
  let prefix = '';
  const from = new Map<number, string>();
  for (const at of [0, ...counted, last]) {
    from.set(at, relations ? await relations.from(at) : `t${at}`);
  }
  if (!relations) prefix = `WITH ${stepCtes(fitted.input, fitted.steps, source).join(', ')}`;
  const relation = (at: number): string => from.get(at)!;
  // One single-row subquery per relation read, not one per figure: DuckDB inlines CTEs, so every
  // extra reference of the last step would run the whole pipeline again.
  const finalCounts = [
    `count(*) AS rows_${last}`,
    ...(options.present
      ? fitted.output.map((column, i) => `count(${quoteIdent(column.name)}) AS present_${i}`)
      : []),
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
  const rows: Record<number, number> = {};
  for (const at of [0, ...counted, last]) rows[at] = num(row[`rows_${at}`]) ?? 0;
  return options.present
    ? { rows, present: fitted.output.map((_, i) => num(row[`present_${i}`]) ?? 0) }
    : { rows };
}
