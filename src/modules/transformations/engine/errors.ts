/** One problem in a pipeline: the 0-based step index and the parameter (e.g. 'columns[2]'). */
export interface StepIssue {
  step: number;
  field: string;
  message: string;
}

/** Thrown by validation and fitting with every issue found, so a user can fix them all at once. */
export class PipelineValidationError extends Error {
  readonly issues: StepIssue[];

  constructor(issues: StepIssue[]) {
    super(
      issues
        .map(
          (issue) =>
            `step ${issue.step}${issue.field ? ` (${issue.field})` : ''}: ${issue.message}`,
        )
        .join('; '),
    );
    this.name = 'PipelineValidationError';
    this.issues = issues;
  }
}

export type PipelineWarningCode =
  'empty_result' | 'column_all_missing' | 'rows_lost' | 'columns_lost' | 'majority_rows_dropped';

/**
 * Something the user should see before applying. `blocking` warnings (a majority of the rows
 * dropped without `confirmed`) must stop an apply.
 */
export interface PipelineWarning {
  step: number | null;
  code: PipelineWarningCode;
  message: string;
  blocking: boolean;
}
