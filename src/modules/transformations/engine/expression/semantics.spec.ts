import { queryRows } from '../../../datasets/engine/duckdb';
import { cellFromDuckDb, type CellValue } from '../values';
import { compileExpression } from './index';
import { withDuckDbTable } from './testing/duckdb-table';

/** The behaviours README.md promises, each checked on both paths. */
const EXAMPLES: [string, CellValue][] = [
  ['null and false', false],
  ['null and true', null],
  ['null or true', true],
  ['null or false', null],
  ['not null', null],
  ['1 / 0', null],
  ['0 / 0', null],
  ['5 % 0', null],
  ['7 / 2', 3.5],
  ['-7 % 3', -1],
  ['1e300 * 1e300', null],
  ['sqrt(-1)', null],
  ['sqrt(0)', 0],
  ['ln(0)', null],
  ['log(-1)', null],
  ['log10(1000)', 3],
  ['exp(1000)', null],
  ['pow(-8, 1.0 / 3)', null],
  ['pow(2, 10)', 1024],
  ['round(2.5)', 3],
  ['round(-2.5)', -3],
  ['round(1.005, 2)', 1],
  ['round(1234.5, -2)', 1200],
  ['floor(-1.5)', -2],
  ['ceil(-1.5)', -1],
  ['abs(-3)', 3],
  ["'a' < 'B'", false],
  ["'é' > 'z'", true],
  ['2 in (1, null)', null],
  ['2 not in (1, null)', null],
  ['1 in (1, null)', true],
  ['2 between null and 1', false],
  ['null is null', true],
  ['least(3, null, 1)', 1],
  ['greatest(null, null)', null],
  ['coalesce(null, 2, 3)', 2],
  ["concat('a', null, 1, 1.5, true, 1e20, 0.1 + 0.2)", 'a11.5true1e+200.30000000000000004'],
  ["concat(2.0, ' ', 1e-5, ' ', -0.0001)", '2.0 1e-05 -0.0001'],
  [
    "concat(round(-0.4), ' ', round(-0.0, 1), ' ', -0.0 * 1, ' ', ceil(-0.5))",
    '-0.0 -0.0 -0.0 -0.0',
  ],
  ["length('héllo😀')", 6],
  ["upper('straße')", 'STRAẞE'],
  ["lower('ΟΔΟΣ')", 'οδοσ'],
  ["trim('  a\u00a0')", 'a'],
  ["trim(' \ta ')", '\ta'],
  ["'it''s'", "it's"],
  ['"say ""hi"""', 'say "hi"'],
  ['TRUE && !FALSE', true],
  ['1 == 1.0', true],
  ['1 != 2', true],
];

describe('documented semantics', () => {
  it.each(EXAMPLES)('%s should give %j in TypeScript', (source, expected) => {
    expect(compileExpression(source, []).evaluate({})).toEqual(expected);
  });

  it('should give the same results in DuckDB', async () => {
    const results = await withDuckDbTable([], [], async (connection) => {
      const found: CellValue[] = [];
      for (const [source] of EXAMPLES) {
        const expression = compileExpression(source, []);
        const [row] = await queryRows(connection, `SELECT ${expression.toSql()} AS "r"`);
        found.push(expression.type === 'NULL' ? null : cellFromDuckDb(row.r, expression.type));
      }
      return found;
    });
    expect(results).toEqual(EXAMPLES.map(([, expected]) => expected));
  });
});
