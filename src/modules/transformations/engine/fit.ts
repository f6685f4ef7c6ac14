import type { DuckDBConnection } from '@duckdb/node-api';
import type { SourceRelation } from './source';
import type { FittedPipeline } from './steps';
import type { ColumnSchema } from './values';

/**
 * Validates, then fits each learning step on the output of the steps before it with one DuckDB
 * aggregate query. Throws PipelineValidationError (static and data-dependent issues).
 */
export async function fitPipeline(
  connection: DuckDBConnection,
  source: SourceRelation,
  steps: unknown,
  input: ColumnSchema[],
): Promise<FittedPipeline> {
  void connection;
  void source;
  void steps;
  void input;
  return Promise.reject(new Error('fitPipeline: not implemented yet'));
}
