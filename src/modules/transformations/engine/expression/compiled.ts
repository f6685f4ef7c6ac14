import type { CellValue, Row, StorageType } from '../values';

/** A checked node's type; INVALID marks a node already reported, so errors do not cascade. */
export type CheckedType = StorageType | 'NULL' | 'INVALID';

/**
 * A checked sub-expression: its type, the DuckDB SQL for it and the TypeScript evaluation of it.
 * Each construct builds the two side by side so their semantics can be read (and kept) together.
 */
export interface Compiled {
  type: CheckedType;
  sql: string;
  run: (row: Row) => CellValue;
  /**
   * Arithmetic only: the SQL without its isfinite guard. A parent whose result is non-finite
   * whenever this operand is (+, - and * on either side, / and % on the left) uses it and lets its
   * own guard catch both, so a chain like a + b + c costs one guard, not one per operator.
   */
  unguardedSql?: string;
}

export type Family = 'number' | 'string' | 'boolean' | 'temporal' | 'none';

/** Which values compare with which: NULL and INVALID fit anywhere. */
export function familyOf(type: CheckedType): Family {
  switch (type) {
    case 'BIGINT':
    case 'DOUBLE':
      return 'number';
    case 'VARCHAR':
      return 'string';
    case 'BOOLEAN':
      return 'boolean';
    case 'DATE':
    case 'TIMESTAMP':
      return 'temporal';
    case 'NULL':
    case 'INVALID':
      return 'none';
  }
}

export const INVALID: Compiled = { type: 'INVALID', sql: 'NULL', run: () => null };

/** SQL that keeps `sql`'s value when `predicate` (over `v`) holds and gives NULL otherwise.
 * DuckDB expands NULLIF and CASE by copying their operand, which nests exponentially; a lambda
 * over a one-element list evaluates the operand once. */
export function keepIf(sql: string, predicate: string): string {
  return `list_filter([${sql}], lambda v: ${predicate})[1]`;
}

/** The operand as DOUBLE, so arithmetic never hits DuckDB's BIGINT overflow errors. */
export function asDouble(node: Compiled): string {
  return node.type === 'DOUBLE' ? node.sql : `CAST(${node.sql} AS DOUBLE)`;
}
