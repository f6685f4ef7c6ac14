import type { ColumnSchema } from '../../../datasets/engine/typed-copy';
import type { CellValue, Row, StorageType } from '../values';
import { Checker } from './checker';
import { ExpressionError } from './errors';
import { parse } from './parser';

export { ExpressionError } from './errors';
export type { ExpressionIssue } from './errors';

/** The result type of an expression; 'NULL' only for an expression that is always null. */
export type ExprType = StorageType | 'NULL';

export interface CheckedExpression {
  readonly source: string;
  /** e.g. BOOLEAN for a filter. */
  readonly type: ExprType;
  /** Columns referenced, in order of first use. */
  readonly columns: string[];
  /** A DuckDB SQL expression (no trailing semicolon) built from the checked tree, never from text. */
  toSql(): string;
  /**
   * Row-by-row evaluation with the same semantics as the SQL. A missing column reads as null; a
   * value of the wrong JavaScript type for its column throws a TypeError.
   */
  evaluate(row: Row): CellValue;
}

export interface CompileOptions {
  /** What the result must be: a filter expects 'boolean'. Default 'any'. */
  expect?: 'boolean' | 'numeric' | 'any';
  /** Longest source accepted, in characters. Default 2,000. */
  maxLength?: number;
}

export const DEFAULT_MAX_LENGTH = 2000;

/**
 * Parses and type-checks against the columns available; throws ExpressionError with every problem
 * found (unknown column with a "did you mean", type mismatch, syntax error with position, unknown
 * function, wrong arity). The language is described in README.md beside this file.
 */
export function compileExpression(
  source: string,
  columns: ColumnSchema[],
  options: CompileOptions = {},
): CheckedExpression {
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  if (source.length > maxLength) {
    throw new ExpressionError([
      {
        message: `The expression is too long: ${source.length} characters, at most ${maxLength}`,
        position: maxLength,
      },
    ]);
  }
  const checker = new Checker(columns);
  const root = checker.check(parse(source));
  const expect = options.expect ?? 'any';
  if (root.type !== 'INVALID') {
    if (expect === 'boolean' && root.type !== 'BOOLEAN') {
      checker.issue(`A condition must be true or false, but this expression is ${root.type}`, 0);
    } else if (expect === 'numeric' && root.type !== 'BIGINT' && root.type !== 'DOUBLE') {
      checker.issue(`A number is needed, but this expression is ${root.type}`, 0);
    }
  }
  if (checker.issues.length > 0 || root.type === 'INVALID') {
    throw new ExpressionError([...checker.issues].sort((a, b) => a.position - b.position));
  }
  const type: ExprType = root.type;
  const sql = root.sql;
  const run = root.run;
  return {
    source,
    type,
    columns: [...checker.columnsUsed],
    toSql: () => sql,
    evaluate: (row) => run(row),
  };
}
