/** One problem found in an expression, at a 0-based character offset into its source. */
export interface ExpressionIssue {
  message: string;
  position: number;
}

/** Thrown by `compileExpression` with every problem found, so a user can fix them all at once. */
export class ExpressionError extends Error {
  readonly issues: ExpressionIssue[];

  constructor(issues: ExpressionIssue[]) {
    super(
      issues.length === 1
        ? `${issues[0].message} (at ${issues[0].position})`
        : `${issues.length} problems: ${issues.map((i) => `${i.message} (at ${i.position})`).join('; ')}`,
    );
    this.name = 'ExpressionError';
    this.issues = issues;
  }
}
