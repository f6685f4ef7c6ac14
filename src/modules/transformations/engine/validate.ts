import type { Step } from './steps';
import type { ColumnSchema } from './values';

export interface ValidatedPipeline {
  steps: Step[];
  /** schemas[i] is the schema after step i (schemas.length === steps.length). */
  schemas: ColumnSchema[][];
}

/**
 * Static check (no data): parses each step's params, follows the schema through the pipeline and
 * checks types. Throws PipelineValidationError listing every issue.
 */
export function validatePipeline(steps: unknown, input: ColumnSchema[]): ValidatedPipeline {
  void steps;
  void input;
  throw new Error('validatePipeline: not implemented yet');
}
