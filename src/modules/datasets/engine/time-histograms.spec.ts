import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';
import { num, openDuckDb, queryRows, withConnection } from './duckdb';
import {
  epochMsOf,
  queryTimeHistograms,
  type TimeColumn,
  timeHistogramOf,
  timeUnitFor,
  truncateUtc,
} from './time-histograms';

const at = (iso: string): number => Date.parse(iso);

describe('time histograms', () => {
  it('should truncate to calendar units in UTC, weeks from Monday', () => {
    const t = at('2024-03-14T15:09:26.535Z'); // a Thursday
    const truncated = (unit: Parameters<typeof truncateUtc>[1]): string =>
      new Date(truncateUtc(t, unit)).toISOString();
    expect(truncated('second')).toBe('2024-03-14T15:09:26.000Z');
    expect(truncated('minute')).toBe('2024-03-14T15:09:00.000Z');
    expect(truncated('hour')).toBe('2024-03-14T15:00:00.000Z');
    expect(truncated('day')).toBe('2024-03-14T00:00:00.000Z');
    expect(truncated('week')).toBe('2024-03-11T00:00:00.000Z');
    expect(truncated('month')).toBe('2024-03-01T00:00:00.000Z');
    expect(truncated('quarter')).toBe('2024-01-01T00:00:00.000Z');
    expect(truncated('year')).toBe('2024-01-01T00:00:00.000Z');
    expect(truncated('decade')).toBe('2020-01-01T00:00:00.000Z');
    // Before 1970 too (negative epoch).
    expect(new Date(truncateUtc(at('1969-12-31T23:59:59Z'), 'day')).toISOString()).toBe(
      '1969-12-31T00:00:00.000Z',
    );
  });

  it("should read DuckDB's text of dates and timestamps", () => {
    expect(epochMsOf('2024-03-14')).toBe(at('2024-03-14T00:00:00Z'));
    expect(epochMsOf('2024-03-14 15:09:26.535123')).toBe(at('2024-03-14T15:09:26.535Z'));
    expect(new Date(epochMsOf('0099-01-01')).getUTCFullYear()).toBe(99);
    expect(epochMsOf('infinity')).toBeNaN();
  });

  it('should choose the finest unit that keeps about a month of buckets', () => {
    const day = 86_400_000;
    expect(timeUnitFor(at('2023-01-01'), at('2023-12-28'), true)).toBe('month');
    expect(timeUnitFor(at('2023-01-01'), at('2023-01-28'), true)).toBe('day');
    expect(timeUnitFor(0, 3 * 3_600_000, true)).toBe('day'); // dates never split finer
    expect(timeUnitFor(0, 3 * 3_600_000, false)).toBe('hour');
    expect(timeUnitFor(0, 12 * 365 * day, true)).toBe('year');
    expect(timeUnitFor(0, 200 * 365 * day, true)).toBe('decade');
  });

  it('should fill the buckets between the first and the last with zeros', () => {
    const histogram = timeHistogramOf(
      [
        [at('2023-01-05T00:00:00Z'), 2],
        [at('2023-01-20T00:00:00Z'), 1],
        [at('2023-04-02T00:00:00Z'), 4],
      ],
      'month',
    );
    expect(histogram.bins).toEqual([
      { start: '2023-01-01', count: 3 },
      { start: '2023-02-01', count: 0 },
      { start: '2023-03-01', count: 0 },
      { start: '2023-04-01', count: 4 },
    ]);
    expect(timeHistogramOf([], 'day').bins).toEqual([]);
  });

  describe('from a Parquet file', () => {
    let dir: string;
    let db: DuckDBInstance;
    const path = (): string => join(dir, 'times.parquet');

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'times-'));
      db = await openDuckDb({ threads: 2, memoryLimit: '512MB', tempDirectory: dir });
      await withConnection(db, (connection) =>
        connection.run(`COPY (SELECT
            CASE WHEN i % 9 = 0 THEN NULL ELSE DATE '2023-01-01' + (hash(i) % 361)::INTEGER END AS d,
            TIMESTAMP '2023-03-01 00:00:00' + INTERVAL (hash(i * 7) % 86400) SECOND * 20 AS ts
          FROM range(20000) t(i)) TO '${path()}' (FORMAT parquet)`),
      );
    });
    afterAll(() => {
      db.closeSync();
      rmSync(dir, { recursive: true, force: true });
    });

    const columns = (distinct: number): TimeColumn[] => [
      { index: 0, name: 'd', datesOnly: true, min: '2023-01-01', max: '2023-12-27', distinct },
      {
        index: 1,
        name: 'ts',
        datesOnly: false,
        min: '2023-03-01 00:00:00',
        max: '2023-03-20 23:59:40',
        distinct,
      },
    ];

    it('should count each month and day as strftime does, by value or truncated', async () => {
      await withConnection(db, async (connection) => {
        const expected = async (sql: string): Promise<Map<string, number>> =>
          new Map(
            (await queryRows(connection, sql)).map((r) => [String(r.k), num(r.n) ?? 0] as const),
          );
        const months = await expected(
          `SELECT strftime(d, '%Y-%m-01') AS k, count(*) AS n FROM '${path()}' WHERE d IS NOT NULL GROUP BY k`,
        );
        const days = await expected(
          `SELECT strftime(ts, '%Y-%m-%d') AS k, count(*) AS n FROM '${path()}' GROUP BY k`,
        );
        for (const distinct of [10, Infinity]) {
          const histograms = await queryTimeHistograms(connection, path(), columns(distinct));
          const [d, ts] = [histograms.get(0)!, histograms.get(1)!];
          expect(d.unit).toBe('month');
          expect(d.bins).toEqual(
            [...months.keys()].sort().map((k) => ({ start: k, count: months.get(k) })),
          );
          expect(ts.unit).toBe('day');
          expect(ts.bins.map((b) => [b.start, b.count])).toEqual(
            [...days.keys()].sort().map((k) => [k, days.get(k)]),
          );
        }
      });
    });

    it('should agree with DuckDB on where weeks start', async () => {
      await withConnection(db, async (connection) => {
        const weekly: TimeColumn = { ...columns(0)[0], max: '2023-03-31' };
        const byValue = await queryTimeHistograms(connection, path(), [weekly]);
        weekly.distinct = Infinity;
        const truncated = await queryTimeHistograms(connection, path(), [weekly]);
        expect(byValue.get(0)!.unit).toBe('week');
        expect(truncated.get(0)).toEqual(byValue.get(0));
      });
    });
  });
});
