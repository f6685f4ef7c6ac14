/**
 * The transformations engine: validate a pipeline of steps against a schema, fit it on a dataset
 * with DuckDB, apply it in DuckDB (batch) or in TypeScript (rows, single-row prediction).
 * README.md in this folder documents the steps, their learned state and null semantics.
 */
export type {
  Step,
  StepOp,
  StepState,
  FittedStep,
  FittedPipeline,
  CastTarget,
  ImputeStrategy,
  DropMissingMode,
  ScaleMethod,
  EncodeMethod,
  BinStrategy,
  MathFunction,
  ClipMethod,
  DatePart,
  TextAction,
} from './steps';
export { STEP_OPS } from './steps';
export { PipelineValidationError } from './errors';
export type { StepIssue, PipelineWarning, PipelineWarningCode } from './errors';
export type { CellValue, Row, ColumnSchema } from './values';
export { cellFromDuckDb } from './values';
export { validatePipeline } from './validate';
export type { ValidatedPipeline } from './validate';
export { fitPipeline } from './fit';
export type { FitCache, FitOptions, Learned } from './fit';
export type { SourceRelation } from './source';
export { pipelineSql, ROW_ORDER_COLUMN } from './pipeline-sql';
export type { PipelineSql } from './pipeline-sql';
export { pipelineReport, reportFromCounts } from './report';
export { countPipeline } from './pipeline-counts';
export type { PipelineCounts } from './pipeline-counts';
export { StepRelations } from './step-tables';
export type { StepTables } from './step-tables';
export type { PipelineReport, StepReport, ReportOptions } from './report';
export { transformRows, transformRow } from './transform-rows';
export type { RowOutcome } from './transform-rows';
