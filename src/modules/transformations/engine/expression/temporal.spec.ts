import { queryRows } from '../../../datasets/engine/duckdb';
import { datePart, parseTemporalLiteral, temporalKey } from './temporal';
import { withDuckDbTable } from './testing/duckdb-table';
import { compareStrings } from './text';

describe('temporal values', () => {
  it('should order dates and timestamps like DuckDB, years past 9999 included', async () => {
    const values = [
      "DATE '2020-01-01'",
      "TIMESTAMP '2020-01-01 00:00:00'",
      "TIMESTAMP '2020-01-01 00:00:00.5'",
      "TIMESTAMP '2020-01-01 00:00:00.05'",
      "TIMESTAMP '2019-12-31 23:59:59.999999'",
      "DATE '12000-01-01'",
      "TIMESTAMP '9999-12-31 23:59:59'",
      "DATE '0001-01-01'",
    ];
    const pairs = values.flatMap((a) => values.map((b) => [a, b]));
    const { rendered, order } = await withDuckDbTable([], [], async (connection) => {
      const [texts] = await queryRows(
        connection,
        `SELECT ${values.map((v, i) => `CAST(${v} AS VARCHAR) AS "v${i}"`).join(', ')}`,
      );
      const [comparisons] = await queryRows(
        connection,
        `SELECT ${pairs.map(([a, b], i) => `sign(epoch_us(CAST(${a} AS TIMESTAMP)) - epoch_us(CAST(${b} AS TIMESTAMP))) AS "c${i}"`).join(', ')}`,
      );
      return {
        rendered: values.map((_, i) => String(texts[`v${i}`])),
        order: pairs.map((_, i) => Number(comparisons[`c${i}`])),
      };
    });
    const ours = rendered.flatMap((a) =>
      rendered.map((b) => Math.sign(compareStrings(temporalKey(a), temporalKey(b)))),
    );
    expect(ours).toEqual(order);
  });

  it('should read date parts, years past 9999 included', () => {
    expect(
      ['2024-03-05', '2024-03-05 10:00:00', '12000-11-30'].map((v) => datePart(v, 'year')),
    ).toEqual([2024, 2024, 12000]);
    expect(datePart('12000-11-30 10:00:00', 'month')).toBe(11);
    expect(datePart('12000-11-30', 'day')).toBe(30);
  });

  it('should normalize row values written differently from DuckDB', () => {
    expect(temporalKey('2020-01-01T10:00:00.500')).toBe(temporalKey('2020-01-01 10:00:00.5'));
    expect(temporalKey('2020-01-01 10:00:00.000')).toBe(temporalKey('2020-01-01 10:00:00'));
    expect(temporalKey('2020-01-01')).toBe(temporalKey('2020-01-01 00:00:00'));
  });

  it('should read date and timestamp literals in DuckDB rendering', () => {
    expect(parseTemporalLiteral('2024-02-29', 'DATE')).toEqual({
      type: 'DATE',
      value: '2024-02-29',
    });
    expect(parseTemporalLiteral('2024-02-29', 'TIMESTAMP')).toEqual({
      type: 'TIMESTAMP',
      value: '2024-02-29 00:00:00',
    });
    expect(parseTemporalLiteral('2024-02-29T10:20', 'DATE')).toEqual({
      type: 'TIMESTAMP',
      value: '2024-02-29 10:20:00',
    });
    expect(parseTemporalLiteral('2024-01-01 10:20:30.250000', 'TIMESTAMP')).toEqual({
      type: 'TIMESTAMP',
      value: '2024-01-01 10:20:30.25',
    });
    expect(parseTemporalLiteral('2023-02-29', 'DATE')).toEqual({
      error: "'2023-02-29' is not a valid date: no such day",
    });
    expect(parseTemporalLiteral('1900-02-29', 'DATE')).toHaveProperty('error');
    expect(parseTemporalLiteral('2000-02-29', 'DATE')).toHaveProperty('value');
  });
});
