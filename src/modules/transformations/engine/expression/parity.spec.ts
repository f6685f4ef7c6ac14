import { queryRows } from '../../../datasets/engine/duckdb';
import { cellFromDuckDb, type CellValue, type Row } from '../values';
import { compileExpression, type CheckedExpression } from './index';
import { PARITY_COLUMNS, parityRows } from './testing/parity-data';
import { readRows, withDuckDbTable } from './testing/duckdb-table';
import { randomExpressions } from './testing/random-expressions';

/**
 * The two paths must agree: every expression runs as SQL in a real DuckDB and row by row in
 * TypeScript over the same rows, and the results must match value for value.
 */
const EXPRESSIONS = [
  // The examples the language was designed for.
  "age >= 18 and country in ('FR', 'DE') and income is not null",
  'log(income + 1) * 2 - debt / months',
  // Arithmetic, including division and modulo by zero and overflow.
  'age + months',
  'age - income',
  'income * debt',
  'income / months',
  'age % months',
  'income % 7.5',
  '-income + -age',
  'income / 0',
  'age % 0',
  '1e300 * income * 1e10',
  '(age + 1) * (months - 2) / 3',
  'income + debt * 1e300 * 1e300 - 1',
  'income / (debt * 1e300 * 1e300)',
  'income % (debt * 1e300 * 1e300)',
  '(income * 1e300 * 1e300) / 2 + age',
  // Comparisons on every type.
  'income = debt or age == months',
  'age != months and age <> 3',
  'income < debt',
  'income <= 0',
  'age > 30.5',
  'age >= -3',
  'country < `first name`',
  'country = \'FR\' or country = \'O\'\'Brien\' or country = """quoted"""',
  "`first name` >= 'M'",
  'active = true',
  'active > false',
  "born >= '2000-01-01'",
  "seen < '2021-06-01 12:00:00'",
  'born = seen',
  'born < seen',
  // Boolean logic with nulls.
  'active',
  'not active',
  '!active && age > 10',
  'active || income < 0',
  'active or null',
  'active and null',
  'not (active and age > 50) or income is null',
  'age is null',
  'country is not null',
  'age in (1, 2, 3, null)',
  'age not in (18, 20)',
  'age not in (1, null)',
  "country in ('O''Brien', \"Ünïcødé\", 'emoji 😀 here')",
  "born in ('1999-01-01', '2000-02-02')",
  'income between debt and 100',
  "born between '1990-01-01' and '2005-12-31'",
  "seen not between '2020-01-01' and '2022-01-01 00:00:00'",
  // Functions.
  'abs(income) + abs(age)',
  'abs(age)',
  'round(income)',
  'round(age)',
  'round(income, 2)',
  'round(income, -2)',
  'round(debt, 1)',
  'floor(income) + ceil(debt)',
  'floor(age)',
  'sqrt(income)',
  'exp(income / 100)',
  'ln(income) + log10(debt)',
  'pow(income, 2)',
  'pow(debt, 0.5)',
  'pow(age, months)',
  'least(age, months, 10)',
  'greatest(income, age)',
  'coalesce(income, age, 0)',
  'coalesce(born, seen)',
  "greatest(born, '2010-01-01')",
  "least(seen, '2021-01-01')",
  'least(country, `first name`)',
  'greatest(active, false)',
  'lower(`first name`)',
  'upper(country)',
  'length(`first name`)',
  'trim(country)',
  "concat(`first name`, '-', age, '-', income, '-', active, '-', born, '-', seen)",
  'concat(debt / 3, income * 1e20)',
  'year(born) + month(seen) + day(born)',
  'year(seen) * 100 + day(seen)',
];

describe('expression parity between DuckDB SQL and TypeScript evaluation', () => {
  const rows = parityRows(300);

  it('should cover every operator and function of the language', () => {
    const all = EXPRESSIONS.join(' ');
    for (const fn of ['abs(', 'round(', 'floor(', 'ceil(', 'sqrt(', 'exp(', 'ln(', 'log(']) {
      expect(all).toContain(fn);
    }
    for (const fn of ['log10(', 'pow(', 'least(', 'greatest(', 'coalesce(', 'lower(', 'upper(']) {
      expect(all).toContain(fn);
    }
    for (const fn of ['length(', 'trim(', 'concat(', 'year(', 'month(', 'day(']) {
      expect(all).toContain(fn);
    }
  });

  it('should give identical results on both paths for every expression', async () => {
    const mismatches = await withDuckDbTable(PARITY_COLUMNS, rows, async (connection) => {
      const tsRows = await readRows(connection, PARITY_COLUMNS);
      const found: string[] = [];
      for (const source of EXPRESSIONS) {
        const expression = compileExpression(source, PARITY_COLUMNS);
        const sqlRows = await queryRows(
          connection,
          `SELECT ${expression.toSql()} AS "result" FROM t ORDER BY "_row"`,
        );
        sqlRows.forEach((sqlRow, i) => {
          const viaSql = fromDuckDb(sqlRow.result, expression);
          const viaTs = expression.evaluate(tsRows[i]);
          if (!same(viaSql, viaTs, expression)) {
            found.push(
              `${source} | row ${i} ${inputsOf(tsRows[i], expression)}: SQL ${show(viaSql)} vs TS ${show(viaTs)}`,
            );
          }
        });
      }
      return found;
    });
    expect(mismatches.slice(0, 20)).toEqual([]);
  });

  it('should give identical results for 300 random well-typed expressions', async () => {
    const sources = randomExpressions(300);
    const mismatches = await withDuckDbTable(PARITY_COLUMNS, rows, async (connection) => {
      const tsRows = await readRows(connection, PARITY_COLUMNS);
      const expressions = sources.map((source) => compileExpression(source, PARITY_COLUMNS));
      const found: string[] = [];
      // A few queries of many columns each, rather than one query per expression.
      for (let start = 0; start < expressions.length; start += 50) {
        const batch = expressions.slice(start, start + 50);
        const select = batch.map((e, i) => `${e.toSql()} AS "r${i}"`).join(', ');
        const sqlRows = await queryRows(connection, `SELECT ${select} FROM t ORDER BY "_row"`);
        batch.forEach((expression, i) => {
          sqlRows.forEach((sqlRow, r) => {
            const viaSql = fromDuckDb(sqlRow[`r${i}`], expression);
            const viaTs = expression.evaluate(tsRows[r]);
            if (!same(viaSql, viaTs, expression)) {
              found.push(
                `${expression.source} | row ${r} ${inputsOf(tsRows[r], expression)}: SQL ${show(viaSql)} vs TS ${show(viaTs)}`,
              );
            }
          });
        });
      }
      return found;
    });
    expect(mismatches.slice(0, 20)).toEqual([]);
  });

  it('should produce a mix of nulls and values, so the comparison is not vacuous', async () => {
    const tsRows = await withDuckDbTable(PARITY_COLUMNS, rows, (connection) =>
      readRows(connection, PARITY_COLUMNS),
    );
    const filter = compileExpression("age >= 18 and country in ('FR', 'DE')", PARITY_COLUMNS);
    const results = tsRows.map((row) => filter.evaluate(row));
    expect(results).toContain(true);
    expect(results).toContain(false);
    expect(results).toContain(null);
  });
});

function fromDuckDb(
  value: Parameters<typeof cellFromDuckDb>[0],
  expression: CheckedExpression,
): CellValue {
  // An always-null expression has no storage type; DuckDB must still give null.
  return expression.type === 'NULL'
    ? value === null
      ? null
      : `unexpected ${String(value)}`
    : cellFromDuckDb(value, expression.type);
}

const INEXACT = /\b(exp|ln|log|log10|pow)\s*\(/i;

function same(a: CellValue, b: CellValue, expression: CheckedExpression): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a === 'number' && typeof b === 'number') {
    // exp, ln, log10 and pow may differ in the last bit between V8 and the C library DuckDB uses:
    // 1e-12 relative for them. Everything else is correctly rounded IEEE arithmetic: exact.
    if (expression.type === 'BIGINT' || !INEXACT.test(expression.source)) return a === b;
    return Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));
  }
  return a === b;
}

function inputsOf(row: Row, expression: CheckedExpression): string {
  return JSON.stringify(Object.fromEntries(expression.columns.map((name) => [name, row[name]])));
}

function show(value: CellValue): string {
  return JSON.stringify(value);
}
