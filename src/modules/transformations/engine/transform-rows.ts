import type { FittedPipeline } from './steps';
import type { Row } from './values';

export type RowOutcome =
  { scorable: true; row: Row } | { scorable: false; reason: string; step: number };

/** The whole table in TypeScript, training-only steps included (parity tests, small data). */
export function transformRows(fitted: FittedPipeline, rows: Row[]): Row[] {
  void fitted;
  void rows;
  throw new Error('transformRows: not implemented yet');
}

/**
 * One row at prediction time: training-only steps do not change it, but a row that a filter or a
 * missing-row drop would remove is reported not scorable, with the step and the reason.
 */
export function transformRow(fitted: FittedPipeline, row: Row): RowOutcome {
  void fitted;
  void row;
  throw new Error('transformRow: not implemented yet');
}
