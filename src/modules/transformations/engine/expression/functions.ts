import type { CellValue } from '../values';
import type { Expr } from './ast';
import type { Checker } from './checker';
import { asDouble, INVALID, keepIf, type CheckedType, type Compiled } from './compiled';
import {
  finiteOrNull,
  formatDouble,
  MAX_ROUND_DIGITS,
  roundHalfAwayFromZero,
  roundToDigits,
} from './numbers';
import { comparatorFor } from './order';
import { dateAsTimestamp, datePart } from './temporal';
import { codePointLength, lowerCase, trimSpaces, upperCase } from './text';

export interface FunctionSpec {
  /** How the call is written, for messages: 'round(x[, digits])'. */
  usage: string;
  minArgs: number;
  maxArgs: number;
  build(args: Expr[], position: number, checker: Checker): Compiled;
}

type NumberFn = (x: number) => number | null;

/**
 * A function of one number. `keepType` functions turn BIGINT into BIGINT (`bigintSql` gives
 * their SQL then); the others compute in DOUBLE.
 */
function numeric(
  name: string,
  sql: (operand: string) => string,
  run: NumberFn,
  bigintSql?: (operand: string) => string,
): FunctionSpec {
  return {
    usage: `${name}(x)`,
    minArgs: 1,
    maxArgs: 1,
    build([argExpr], position, checker) {
      const arg = checker.check(argExpr);
      if (!checker.requireNumber(arg, position, `${name}()`)) return INVALID;
      const bigint = bigintSql !== undefined && arg.type === 'BIGINT';
      return {
        type: bigint ? 'BIGINT' : 'DOUBLE',
        sql: bigint ? bigintSql(arg.sql) : sql(asDouble(arg)),
        run: (row) => {
          const value = arg.run(row) as number | null;
          return value === null ? null : run(value);
        },
      };
    },
  };
}

const identity = (operand: string): string => operand;

const round: FunctionSpec = {
  usage: 'round(x[, digits])',
  minArgs: 1,
  maxArgs: 2,
  build(args, position, checker) {
    if (args.length === 1) {
      return numeric('round', (x) => `round(${x})`, roundHalfAwayFromZero, identity).build(
        args,
        position,
        checker,
      );
    }
    const arg = checker.check(args[0]);
    const digitsExpr = args[1];
    const ok = checker.requireNumber(arg, position, 'round()');
    // A constant, so both paths use the same exact power of ten.
    if (
      digitsExpr.kind !== 'number' ||
      !digitsExpr.integer ||
      Math.abs(digitsExpr.value) > MAX_ROUND_DIGITS
    ) {
      return checker.issue(
        `round()'s digits must be a whole number from -${MAX_ROUND_DIGITS} to ${MAX_ROUND_DIGITS}`,
        digitsExpr.pos,
      );
    }
    if (!ok) return INVALID;
    const digits = digitsExpr.value;
    return {
      type: 'DOUBLE',
      sql: `round(${asDouble(arg)}, ${digits})`,
      run: (row) => {
        const value = arg.run(row) as number | null;
        return value === null ? null : roundToDigits(value, digits);
      },
    };
  },
};

const pow: FunctionSpec = {
  usage: 'pow(x, y)',
  minArgs: 2,
  maxArgs: 2,
  build(args, position, checker) {
    const [base, exponent] = args.map((arg) => checker.check(arg));
    const ok = [base, exponent].map((node) => checker.requireNumber(node, position, 'pow()'));
    if (ok.includes(false)) return INVALID;
    return {
      type: 'DOUBLE',
      // Overflow (inf) and a negative base with a fractional exponent (NaN) give NULL.
      sql: keepIf(`pow(${asDouble(base)}, ${asDouble(exponent)})`, 'isfinite(v)'),
      run: (row) => {
        const x = base.run(row) as number | null;
        const y = exponent.run(row) as number | null;
        return x === null || y === null ? null : finiteOrNull(Math.pow(x, y));
      },
    };
  },
};

/** least / greatest / coalesce: arguments of one family, converted to their common type. */
function variadic(
  name: string,
  pick: (values: CellValue[], order: Order) => CellValue,
): FunctionSpec {
  return {
    usage: `${name}(a, b, ...)`,
    minArgs: 1,
    maxArgs: Infinity,
    build(argExprs, position, checker) {
      const args = checker.checkTogether(argExprs);
      const family = checker.sharedFamily(args, position, `${name}()`);
      if (family === undefined) return INVALID;
      const type = commonType(args.map((arg) => arg.type));
      const order = comparatorFor(family);
      const converted = args.map((arg) => convert(arg, type));
      return {
        type,
        sql: type === 'NULL' ? 'NULL' : `${name}(${converted.map((arg) => arg.sql).join(', ')})`,
        run: (row) =>
          pick(
            converted.map((arg) => arg.run(row)),
            order,
          ),
      };
    },
  };
}

type Order = (a: CellValue, b: CellValue) => number;

function commonType(types: CheckedType[]): CheckedType {
  const known = types.filter((type) => type !== 'NULL');
  if (known.length === 0) return 'NULL';
  if (known.includes('DOUBLE')) return 'DOUBLE';
  if (known.includes('TIMESTAMP')) return 'TIMESTAMP';
  return known[0];
}

/** The node as `type`: a date becomes its midnight timestamp, an integer a double. */
function convert(node: Compiled, type: CheckedType): Compiled {
  if (node.type === type || type === 'NULL') return node;
  const sql = `CAST(${node.sql} AS ${type})`;
  if (node.type === 'DATE') {
    return {
      type,
      sql,
      run: (row) => {
        const value = node.run(row) as string | null;
        return value === null ? null : dateAsTimestamp(value);
      },
    };
  }
  return { type, sql, run: node.run };
}

/** DuckDB's least/greatest skip nulls: null only when every argument is null. */
function extreme(sign: 1 | -1) {
  return (values: CellValue[], order: Order): CellValue => {
    let best: CellValue = null;
    for (const value of values) {
      if (value !== null && (best === null || sign * order(value, best) > 0)) best = value;
    }
    return best;
  };
}

function text(
  name: string,
  resultType: 'VARCHAR' | 'BIGINT',
  run: (value: string) => CellValue,
): FunctionSpec {
  return {
    usage: `${name}(text)`,
    minArgs: 1,
    maxArgs: 1,
    build([argExpr], position, checker) {
      const arg = checker.check(argExpr);
      if (!checker.requireType(arg, ['VARCHAR'], position, `${name}()`)) return INVALID;
      return {
        type: resultType,
        sql: `${name}(${arg.type === 'NULL' ? 'CAST(NULL AS VARCHAR)' : arg.sql})`,
        run: (row) => {
          const value = arg.run(row) as string | null;
          return value === null ? null : run(value);
        },
      };
    },
  };
}

const concat: FunctionSpec = {
  usage: 'concat(a, b, ...)',
  minArgs: 1,
  maxArgs: Infinity,
  build(argExprs, _position, checker) {
    const args = argExprs.map((expr) => checker.check(expr));
    if (args.some((arg) => arg.type === 'INVALID')) return INVALID;
    const formatters = args.map((arg) => formatterFor(arg.type));
    return {
      type: 'VARCHAR',
      sql: `concat(${args.map((arg) => (arg.type === 'NULL' ? 'CAST(NULL AS VARCHAR)' : arg.sql)).join(', ')})`,
      // DuckDB's concat skips nulls, so the result is never null.
      run: (row) =>
        args
          .map((arg, i) => {
            const value = arg.run(row);
            return value === null ? '' : formatters[i](value);
          })
          .join(''),
    };
  },
};

/** Values as DuckDB casts them to VARCHAR. */
function formatterFor(type: CheckedType): (value: CellValue) => string {
  switch (type) {
    case 'DOUBLE':
      return (value) => formatDouble(value as number);
    case 'BIGINT':
    case 'BOOLEAN':
    case 'VARCHAR':
    case 'DATE':
    case 'TIMESTAMP':
    case 'NULL':
    case 'INVALID':
      return (value) => String(value);
  }
}

function part(name: 'year' | 'month' | 'day'): FunctionSpec {
  return {
    usage: `${name}(date)`,
    minArgs: 1,
    maxArgs: 1,
    build([argExpr], position, checker) {
      const arg = checker.check(argExpr);
      if (!checker.requireType(arg, ['DATE', 'TIMESTAMP'], position, `${name}()`)) return INVALID;
      return {
        type: 'BIGINT',
        sql: `${name}(${arg.type === 'NULL' ? 'CAST(NULL AS DATE)' : arg.sql})`,
        run: (row) => {
          const value = arg.run(row) as string | null;
          return value === null ? null : datePart(value, name);
        },
      };
    },
  };
}

const logarithm = (name: string, fn: (x: number) => number): FunctionSpec =>
  numeric(
    name,
    // DuckDB errors on log(0) and log(-1); the guard turns those into NULL first.
    (x) => `${name === 'log10' ? 'log10' : 'ln'}(${keepIf(x, 'v > 0')})`,
    (x) => (x > 0 ? fn(x) : null),
  );

/** Every function of the language, by lower-case name. */
export const FUNCTIONS: ReadonlyMap<string, FunctionSpec> = new Map<string, FunctionSpec>([
  [
    'abs',
    numeric(
      'abs',
      (x) => `abs(${x})`,
      Math.abs,
      (x) => `abs(${x})`,
    ),
  ],
  ['round', round],
  ['floor', numeric('floor', (x) => `floor(${x})`, Math.floor, identity)],
  ['ceil', numeric('ceil', (x) => `ceil(${x})`, Math.ceil, identity)],
  [
    'sqrt',
    numeric(
      'sqrt',
      (x) => `sqrt(${keepIf(x, 'v >= 0')})`,
      (x) => (x >= 0 ? Math.sqrt(x) : null),
    ),
  ],
  [
    'exp',
    numeric(
      'exp',
      (x) => keepIf(`exp(${x})`, 'isfinite(v)'),
      (x) => finiteOrNull(Math.exp(x)),
    ),
  ],
  ['ln', logarithm('ln', Math.log)],
  ['log', logarithm('log', Math.log)],
  ['log10', logarithm('log10', Math.log10)],
  ['pow', pow],
  ['least', variadic('least', extreme(-1))],
  ['greatest', variadic('greatest', extreme(1))],
  ['coalesce', variadic('coalesce', (values) => values.find((value) => value !== null) ?? null)],
  ['lower', text('lower', 'VARCHAR', lowerCase)],
  ['upper', text('upper', 'VARCHAR', upperCase)],
  ['trim', text('trim', 'VARCHAR', trimSpaces)],
  ['length', text('length', 'BIGINT', codePointLength)],
  ['concat', concat],
  ['year', part('year')],
  ['month', part('month')],
  ['day', part('day')],
]);
