import { quoteIdent, quoteLiteral } from '../../../datasets/engine/formats';
import type { ColumnSchema } from '../../../datasets/engine/typed-copy';
import type { CellValue, Row } from '../values';
import type { CompareOp, Expr } from './ast';
import {
  asDouble,
  familyOf,
  INVALID,
  keepIf,
  type CheckedType,
  type Compiled,
  type Family,
} from './compiled';
import type { ExpressionIssue } from './errors';
import { FUNCTIONS } from './functions';
import { finiteOrNull, formatDouble } from './numbers';
import { closest, columnAsWritten } from './suggest';
import { comparatorFor } from './order';
import { parseTemporalLiteral, type TemporalType } from './temporal';

/** Type-checks a parse tree into Compiled nodes, collecting every issue instead of stopping. */
export class Checker {
  readonly issues: ExpressionIssue[] = [];
  readonly columnsUsed: string[] = [];
  private readonly columns: Map<string, ColumnSchema>;

  constructor(columns: ColumnSchema[]) {
    this.columns = new Map(columns.map((column) => [column.name, column]));
  }

  issue(message: string, position: number): Compiled {
    this.issues.push({ message, position });
    return INVALID;
  }

  check(expr: Expr): Compiled {
    switch (expr.kind) {
      case 'number':
        return this.number(expr.value, expr.integer, expr.pos);
      case 'string':
        return { type: 'VARCHAR', sql: quoteLiteral(expr.value), run: () => expr.value };
      case 'boolean':
        return { type: 'BOOLEAN', sql: expr.value ? 'TRUE' : 'FALSE', run: () => expr.value };
      case 'null':
        return { type: 'NULL', sql: 'NULL', run: () => null };
      case 'column':
        return this.column(expr.name, expr.pos);
      case 'negate':
        return this.negate(expr.operand, expr.pos);
      case 'not':
        return this.not(expr.operand, expr.pos);
      case 'arithmetic':
        return this.arithmetic(expr.op, expr.left, expr.right, expr.pos);
      case 'compare':
        return this.compare(expr.op, expr.left, expr.right, expr.pos);
      case 'logical':
        return this.logical(expr.op, expr.operands, expr.pos);
      case 'isNull':
        return this.isNull(expr.operand, expr.negated);
      case 'in':
        return this.in(expr.operand, expr.items, expr.negated, expr.pos);
      case 'between':
        return this.between(expr, expr.pos);
      case 'call':
        return this.call(expr.name, expr.args, expr.pos);
    }
  }

  /**
   * Checks several expressions that must share a type family. String literals among them are read
   * as dates or timestamps when another member is one, so `d >= '2024-01-01'` works.
   */
  checkTogether(exprs: Expr[]): Compiled[] {
    const results = new Map<Expr, Compiled>();
    let target: TemporalType | undefined;
    for (const expr of exprs) {
      if (expr.kind === 'string') continue;
      const node = this.check(expr);
      results.set(expr, node);
      if (node.type === 'TIMESTAMP') target = 'TIMESTAMP';
      else if (node.type === 'DATE' && target === undefined) target = 'DATE';
    }
    return exprs.map((expr) => {
      const known = results.get(expr);
      if (known) return known;
      if (expr.kind !== 'string' || target === undefined) return this.check(expr);
      const literal = parseTemporalLiteral(expr.value, target);
      if ('error' in literal) return this.issue(literal.error, expr.pos);
      const { type, value } = literal;
      return { type, sql: `${type} ${quoteLiteral(value)}`, run: () => value };
    });
  }

  /** The family shared by `nodes`, or undefined (after reporting) when they mix families. */
  sharedFamily(nodes: Compiled[], position: number, what: string): Family | undefined {
    const families = [...new Set(nodes.map((node) => familyOf(node.type)))].filter(
      (family) => family !== 'none',
    );
    if (nodes.some((node) => node.type === 'INVALID')) return undefined;
    if (families.length <= 1) return families[0] ?? 'none';
    const types = [...new Set(nodes.map((node) => node.type).filter((t) => t !== 'NULL'))];
    this.issue(`${what}: cannot mix ${types.join(' and ')}`, position);
    return undefined;
  }

  requireNumber(node: Compiled, position: number, what: string): boolean {
    if (familyOf(node.type) === 'number' || node.type === 'NULL' || node.type === 'INVALID') {
      return node.type !== 'INVALID';
    }
    const hint = node.type === 'VARCHAR' ? ' (use concat() to join strings)' : '';
    this.issue(`${what} needs a number, got ${node.type}${hint}`, position);
    return false;
  }

  requireType(node: Compiled, types: CheckedType[], position: number, what: string): boolean {
    if (types.includes(node.type) || node.type === 'NULL') return true;
    if (node.type !== 'INVALID') {
      this.issue(`${what} needs ${types.join(' or ')}, got ${node.type}`, position);
    }
    return false;
  }

  private number(value: number, integer: boolean, position: number): Compiled {
    if (!Number.isFinite(value))
      return this.issue('This number is too large for a DOUBLE', position);
    if (integer && Number.isSafeInteger(value)) {
      return { type: 'BIGINT', sql: `CAST(${value} AS BIGINT)`, run: () => value };
    }
    // Through a string, so DuckDB reads the same double (its literal 0.1 would be a DECIMAL).
    return { type: 'DOUBLE', sql: `CAST('${formatDouble(value)}' AS DOUBLE)`, run: () => value };
  }

  private column(name: string, position: number): Compiled {
    const column = this.columns.get(name);
    if (!column) {
      const suggestion = closest(name, this.columns.keys());
      const hint = suggestion ? `; did you mean ${columnAsWritten(suggestion)}?` : '';
      return this.issue(`Unknown column ${columnAsWritten(name)}${hint}`, position);
    }
    if (!this.columnsUsed.includes(name)) this.columnsUsed.push(name);
    const type = column.storageType;
    const expected =
      type === 'BIGINT' || type === 'DOUBLE' ? 'number' : type === 'BOOLEAN' ? 'boolean' : 'string';
    return {
      type,
      sql: quoteIdent(name),
      run: (row: Row): CellValue => {
        // Own properties only: a column named "constructor" must not read Object.prototype.
        const value = Object.prototype.hasOwnProperty.call(row, name) ? row[name] : null;
        if (value === null || value === undefined) return null;
        if (typeof value !== expected) {
          throw new TypeError(
            `Column ${columnAsWritten(name)} is ${type} but the row holds ${JSON.stringify(value)}`,
          );
        }
        return value;
      },
    };
  }

  private negate(operandExpr: Expr, position: number): Compiled {
    const operand = this.check(operandExpr);
    if (!this.requireNumber(operand, position, 'Unary "-"')) return INVALID;
    return {
      type: 'DOUBLE',
      sql: `(- ${asDouble(operand)})`,
      run: (row) => {
        const value = operand.run(row) as number | null;
        return value === null ? null : -value;
      },
    };
  }

  private not(operandExpr: Expr, position: number): Compiled {
    const operand = this.check(operandExpr);
    if (!this.requireType(operand, ['BOOLEAN'], position, '"not"')) return INVALID;
    return {
      type: 'BOOLEAN',
      sql: `(NOT ${operand.sql})`,
      run: (row) => {
        const value = operand.run(row);
        return value === null ? null : !value;
      },
    };
  }

  private arithmetic(op: string, leftExpr: Expr, rightExpr: Expr, position: number): Compiled {
    const left = this.check(leftExpr);
    const right = this.check(rightExpr);
    const leftOk = this.requireNumber(left, position, `The left side of "${op}"`);
    const rightOk = this.requireNumber(right, position, `The right side of "${op}"`);
    if (!leftOk || !rightOk) return INVALID;
    const apply = ARITHMETIC[op];
    // x / inf and x % inf are finite: a right operand of / or % keeps its own guard.
    const propagatesRight = op !== '/' && op !== '%';
    const leftSql = left.unguardedSql ?? asDouble(left);
    const rightSql = (propagatesRight ? right.unguardedSql : undefined) ?? asDouble(right);
    const unguardedSql = `(${leftSql} ${op} ${rightSql})`;
    return {
      type: 'DOUBLE',
      // Float64 on both paths; overflow, x / 0 and x % 0 give ±inf or NaN, which become NULL.
      sql: keepIf(unguardedSql, 'isfinite(v)'),
      unguardedSql,
      run: (row) => {
        const a = left.run(row) as number | null;
        const b = right.run(row) as number | null;
        return a === null || b === null ? null : finiteOrNull(apply(a, b));
      },
    };
  }

  private compare(op: CompareOp, leftExpr: Expr, rightExpr: Expr, position: number): Compiled {
    const [left, right] = this.checkTogether([leftExpr, rightExpr]);
    const family = this.sharedFamily([left, right], position, `Cannot compare with "${op}"`);
    if (family === undefined) return INVALID;
    const order = comparatorFor(family);
    const test = COMPARISONS[op];
    return {
      type: 'BOOLEAN',
      sql: `(${left.sql} ${op} ${right.sql})`,
      run: (row) => {
        const a = left.run(row);
        const b = right.run(row);
        return a === null || b === null ? null : test(order(a, b));
      },
    };
  }

  private logical(op: 'and' | 'or', operandExprs: Expr[], position: number): Compiled {
    const operands = operandExprs.map((expr) => this.check(expr));
    const ok = operands.map((node) => this.requireType(node, ['BOOLEAN'], position, `"${op}"`));
    if (ok.includes(false)) return INVALID;
    // SQL's three-valued logic: the deciding value wins over null (false for and, true for or).
    const decisive = op === 'or';
    return {
      type: 'BOOLEAN',
      sql: `(${operands.map((node) => node.sql).join(op === 'and' ? ' AND ' : ' OR ')})`,
      run: (row) => {
        let sawNull = false;
        for (const operand of operands) {
          const value = operand.run(row);
          if (value === decisive) return decisive;
          if (value === null) sawNull = true;
        }
        return sawNull ? null : !decisive;
      },
    };
  }

  private isNull(operandExpr: Expr, negated: boolean): Compiled {
    const operand = this.check(operandExpr);
    if (operand.type === 'INVALID') return INVALID;
    return {
      type: 'BOOLEAN',
      sql: `(${operand.sql} IS ${negated ? 'NOT ' : ''}NULL)`,
      run: (row) => (operand.run(row) === null) !== negated,
    };
  }

  private in(operandExpr: Expr, itemExprs: Expr[], negated: boolean, position: number): Compiled {
    const [operand, ...items] = this.checkTogether([operandExpr, ...itemExprs]);
    const family = this.sharedFamily([operand, ...items], position, '"in"');
    if (family === undefined) return INVALID;
    const order = comparatorFor(family);
    return {
      type: 'BOOLEAN',
      sql: `(${operand.sql} ${negated ? 'NOT IN' : 'IN'} (${items.map((item) => item.sql).join(', ')}))`,
      run: (row) => {
        const value = operand.run(row);
        if (value === null) return null;
        let sawNull = false;
        for (const item of items) {
          const candidate = item.run(row);
          if (candidate === null) sawNull = true;
          else if (order(value, candidate) === 0) return !negated;
        }
        return sawNull ? null : negated;
      },
    };
  }

  private between(expr: Extract<Expr, { kind: 'between' }>, position: number): Compiled {
    const nodes = this.checkTogether([expr.operand, expr.low, expr.high]);
    const family = this.sharedFamily(nodes, position, '"between"');
    if (family === undefined) return INVALID;
    const [operand, low, high] = nodes;
    const order = comparatorFor(family);
    const negated = expr.negated;
    return {
      type: 'BOOLEAN',
      sql: `(${operand.sql} ${negated ? 'NOT BETWEEN' : 'BETWEEN'} ${low.sql} AND ${high.sql})`,
      run: (row) => {
        const value = operand.run(row);
        const lowValue = low.run(row);
        const highValue = high.run(row);
        // x between a and b is (x >= a and x <= b), with null for an unknown side.
        const aboveLow = value === null || lowValue === null ? null : order(value, lowValue) >= 0;
        const belowHigh =
          value === null || highValue === null ? null : order(value, highValue) <= 0;
        const inside =
          aboveLow === false || belowHigh === false
            ? false
            : aboveLow === null || belowHigh === null
              ? null
              : true;
        return inside === null ? null : inside !== negated;
      },
    };
  }

  private call(name: string, argExprs: Expr[], position: number): Compiled {
    const spec = FUNCTIONS.get(name.toLowerCase());
    if (!spec) {
      const suggestion = closest(name, FUNCTIONS.keys());
      const hint = suggestion ? `; did you mean ${suggestion}()?` : '';
      // Still check the arguments, to report their problems too.
      argExprs.forEach((arg) => this.check(arg));
      return this.issue(`Unknown function ${name}()${hint}`, position);
    }
    if (argExprs.length < spec.minArgs || argExprs.length > spec.maxArgs) {
      argExprs.forEach((arg) => this.check(arg));
      const expected =
        spec.minArgs === spec.maxArgs
          ? `${spec.minArgs}`
          : spec.maxArgs === Infinity
            ? `at least ${spec.minArgs}`
            : `${spec.minArgs} to ${spec.maxArgs}`;
      return this.issue(
        `${spec.usage} takes ${expected} argument${expected === '1' ? '' : 's'}, got ${argExprs.length}`,
        position,
      );
    }
    return spec.build(argExprs, position, this);
  }
}

const ARITHMETIC: Record<string, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  // JavaScript's % is C's fmod, which DuckDB uses for DOUBLE.
  '%': (a, b) => a % b,
};

const COMPARISONS: Record<CompareOp, (order: number) => boolean> = {
  '=': (order) => order === 0,
  '<>': (order) => order !== 0,
  '<': (order) => order < 0,
  '<=': (order) => order <= 0,
  '>': (order) => order > 0,
  '>=': (order) => order >= 0,
};
