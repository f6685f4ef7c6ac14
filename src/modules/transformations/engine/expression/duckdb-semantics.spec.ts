import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../../../datasets/engine/duckdb';
import type { ColumnSchema } from '../../../datasets/engine/typed-copy';
import { compileExpression } from './index';
import { formatDouble, roundToDigits } from './numbers';
import { withDuckDbTable } from './testing/duckdb-table';
import { codePointLength, compareStrings, lowerCase, trimSpaces, upperCase } from './text';

/**
 * The TypeScript mirrors of DuckDB's string and number functions, checked exhaustively (every code
 * point) or on thousands of generated values against the real DuckDB.
 */
const withDuckDb = <T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> =>
  withDuckDbTable([], [], work);

describe('TypeScript mirrors of DuckDB functions', () => {
  it('should map case, trim and count like DuckDB for every code point', async () => {
    // DuckDB returns only the code points its functions change; every other one must be left
    // alone by ours. A '0' prefix keeps the client from eating a leading U+FEFF as a BOM.
    const { changed, lengths } = await withDuckDb(async (connection) => {
      // Surrogates are not code points (and chr() rejects them): two ranges around them.
      const source = `(SELECT i::INTEGER AS cp, chr(i::INTEGER) AS ch
                       FROM (SELECT * FROM range(1, 55296) UNION ALL SELECT * FROM range(57344, 1114112)) t(i))`;
      const changedRows = await queryRows(
        connection,
        `SELECT cp, '0' || lower(ch) AS lo, '0' || upper(ch) AS up, '0' || trim(ch) AS tr
         FROM ${source} WHERE lower(ch) <> ch OR upper(ch) <> ch OR trim(ch) <> ch`,
      );
      const [counts] = await queryRows(
        connection,
        `SELECT count(*) AS "all", count_if(length('a' || ch) = 2) AS "two" FROM ${source}`,
      );
      return { changed: changedRows, lengths: counts };
    });
    const duckdb = new Map(
      changed.map((row) => [
        Number(row.cp),
        [row.lo, row.up, row.tr].map((text) => String(text).slice(1)),
      ]),
    );
    const mismatches: string[] = [];
    let counted = 0;
    for (let cp = 1; cp < 0x110000; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      const ours = [lowerCase(ch), upperCase(ch), trimSpaces(ch)];
      const theirs = duckdb.get(cp) ?? [ch, ch, ch];
      if (ours.some((value, i) => value !== theirs[i])) {
        mismatches.push(
          `U+${cp.toString(16)}: ours ${JSON.stringify(ours)}, DuckDB ${JSON.stringify(theirs)}`,
        );
      }
      if (codePointLength(`a${ch}`) === 2) counted++;
    }
    expect(duckdb.size).toBeGreaterThan(2000);
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect([counted, counted]).toEqual([Number(lengths.all), Number(lengths.two)]);
  }, 60_000);

  it('should order strings by code point like DuckDB', async () => {
    const samples = ['a', 'B', 'é', 'e\u0301', '\ue000', '😀', '𝔘', 'ab', 'a b', '', 'Z', '\uffff'];
    const pairs = samples.flatMap((a) => samples.map((b) => [a, b]));
    const values = pairs.map(([a, b]) => `(${sql(a)}, ${sql(b)})`).join(', ');
    const rows = await withDuckDb((connection) =>
      queryRows(connection, `SELECT a < b AS lt, a = b AS eq FROM (VALUES ${values}) v(a, b)`),
    );
    const ours = pairs.map(([a, b]) => [compareStrings(a, b) < 0, compareStrings(a, b) === 0]);
    expect(ours).toEqual(rows.map((row) => [row.lt, row.eq]));
  });

  it('should render doubles like DuckDB casts them to VARCHAR', async () => {
    const values = [
      ...[
        0, -0, 1, -1, 0.1, 1e-5, 1e-4, 1e15, 1e16, 123456789012345680, 5e-324,
        1.7976931348623157e308,
      ],
      ...generatedDoubles(2000),
    ];
    const rows = await withDuckDb((connection) =>
      queryRows(
        connection,
        `SELECT CAST(CAST(x AS DOUBLE) AS VARCHAR) AS text FROM (VALUES ${values.map((v) => `('${Object.is(v, -0) ? '-0.0' : v.toExponential()}')`).join(', ')}) v(x)`,
      ),
    );
    expect(values.map(formatDouble)).toEqual(rows.map((row) => row.text));
  });

  it('should round to digits like DuckDB', async () => {
    const values = [
      ...generatedDoubles(300),
      2.5,
      -2.5,
      1.005,
      0.125,
      -0.125,
      1234.5,
      1e300,
      -1e300,
    ];
    const cases = values.flatMap((x) => [-20, -3, -1, 0, 1, 2, 3, 10, 20].map((d) => [x, d]));
    const rows = await withDuckDb((connection) =>
      queryRows(
        connection,
        `SELECT CAST(round(CAST(x AS DOUBLE), d) AS VARCHAR) AS r
         FROM (VALUES ${cases.map(([x, d]) => `('${x.toExponential()}', ${d})`).join(', ')}) v(x, d)`,
      ),
    );
    expect(cases.map(([x, d]) => formatDouble(roundToDigits(x, d)))).toEqual(
      rows.map((row) => row.r),
    );
  });

  it('should build SQL that grows linearly with nesting, so DuckDB runs deep expressions fast', async () => {
    const columns: ColumnSchema[] = [{ name: 'x', storageType: 'DOUBLE', semanticType: 'float' }];
    // Three levels per step (sqrt, +, /): 60 levels in all, under the limit of 64.
    const depth = 60;
    const nested = `${'sqrt(1 + x / ('.repeat(depth / 3)}x${'))'.repeat(depth / 3)}`;
    const expression = compileExpression(nested, columns);
    expect(expression.toSql().length).toBeLessThan(200 * depth);
    const rows = Array.from({ length: 1000 }, (_, i) => ({ x: i - 500 }));
    const started = Date.now();
    const results = await withDuckDbTable(columns, rows, (connection) =>
      queryRows(connection, `SELECT ${expression.toSql()} AS "r" FROM t ORDER BY "_row"`),
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(results.map((row) => row.r ?? null)).toEqual(
      rows.map((row) => expression.evaluate(row)),
    );
  });
});

function sql(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** Doubles over many magnitudes, from random bits (seeded), finite only. */
function generatedDoubles(count: number): number[] {
  const view = new DataView(new ArrayBuffer(8));
  let state = 7;
  const next = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state;
  };
  const values: number[] = [];
  while (values.length < count) {
    view.setUint32(0, next());
    view.setUint32(4, next());
    const value = view.getFloat64(0);
    // Half from all magnitudes, half from the everyday range.
    if (Number.isFinite(value))
      values.push(values.length % 2 ? value : (next() / 2 ** 32 - 0.5) * 10 ** (next() % 12));
  }
  return values;
}
