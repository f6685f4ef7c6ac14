import { queryRows } from '../../../datasets/engine/duckdb';
import type { ColumnSchema } from '../../../datasets/engine/typed-copy';
import { compileExpression } from './index';
import { withDuckDbTable } from './testing/duckdb-table';

const HOSTILE = 'a"; DROP TABLE t; --';
const COLUMNS: ColumnSchema[] = [
  { name: HOSTILE, storageType: 'VARCHAR', semanticType: 'text' },
  { name: "it's", storageType: 'BIGINT', semanticType: 'integer' },
  { name: '`tick`', storageType: 'BIGINT', semanticType: 'integer' },
  { name: 'constructor', storageType: 'BIGINT', semanticType: 'integer' },
];
const ROWS = [
  { [HOSTILE]: "x'); DROP TABLE t; --", "it's": 1, '`tick`': 10, constructor: 5 },
  { [HOSTILE]: 'plain', "it's": 2, '`tick`': 20, constructor: null },
];

/** Runs the expression in DuckDB over ROWS, then checks table "t" survived. */
async function viaDuckDb(source: string): Promise<unknown[]> {
  const sql = compileExpression(source, COLUMNS).toSql();
  return withDuckDbTable(COLUMNS, ROWS, async (connection) => {
    const rows = await queryRows(connection, `SELECT ${sql} AS "result" FROM t ORDER BY "_row"`);
    const [count] = await queryRows(connection, 'SELECT count(*) AS "n" FROM t');
    expect(Number(count.n)).toBe(ROWS.length);
    return rows.map((row) => row.result);
  });
}

describe('SQL built from expressions', () => {
  it('should quote a hostile column name as one identifier', async () => {
    const source = "`a\"; DROP TABLE t; --` = 'plain'";
    expect(compileExpression(source, COLUMNS).toSql()).toBe(`("a""; DROP TABLE t; --" = 'plain')`);
    await expect(viaDuckDb(source)).resolves.toEqual([false, true]);
  });

  it('should keep string literals with quotes and SQL text as plain values', async () => {
    const source = `\`a"; DROP TABLE t; --\` = 'x''); DROP TABLE t; --'`;
    await expect(viaDuckDb(source)).resolves.toEqual([true, false]);
    const doubleQuoted = `concat("say ""hi""", ' it''s ', \`a"; DROP TABLE t; --\`)`;
    await expect(viaDuckDb(doubleQuoted)).resolves.toEqual([
      `say "hi" it's x'); DROP TABLE t; --`,
      `say "hi" it's plain`,
    ]);
  });

  it('should quote column names with quotes and backquotes', async () => {
    await expect(viaDuckDb("`it's` + ```tick```")).resolves.toEqual([11, 22]);
  });

  it('should not let a backslash escape a quote', async () => {
    // Quotes are escaped by doubling only; a backslash is an ordinary character.
    const expression = compileExpression("'a\\' = 'b'", COLUMNS);
    expect(expression.type).toBe('BOOLEAN');
    expect(expression.evaluate({})).toBe(false);
    expect(expression.toSql()).toBe(`('a\\' = 'b')`);
  });

  it('should read only own properties of a row, whatever the column is called', () => {
    const expression = compileExpression('constructor is null', COLUMNS);
    expect(expression.evaluate({})).toBe(true);
    expect(expression.evaluate({ constructor: 3 })).toBe(false);
  });

  it('should reject a row value of the wrong type instead of computing with it', () => {
    const expression = compileExpression("`it's` + 1", COLUMNS);
    expect(() => expression.evaluate({ "it's": '5' })).toThrow(
      `Column \`it's\` is BIGINT but the row holds "5"`,
    );
  });

  it('should reject characters that are not part of the language rather than pass them on', () => {
    const cases: [string, string][] = [
      ['1; DROP TABLE t', 'Unexpected character ";" (at 1)'],
      ['constructor /* comment */', 'Expected a value, a column or "(" but found "*" (at 13)'],
      ['$1', 'Unexpected character "$" (at 0)'],
      ['constructor::VARCHAR', 'Unexpected character ":" (at 11)'],
    ];
    for (const [source, message] of cases) {
      expect(() => compileExpression(source, COLUMNS)).toThrow(message);
    }
  });
});
