import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';
import { num, openDuckDb, queryRows, withConnection } from './duckdb';
import { contentHash } from './content-hash';
import { scanColumns } from './profile-scan';
import type { ColumnSchema } from './typed-copy';
import { binCounts, quantileOfCounts, valueCountsOf } from './value-counts';

/**
 * The one-scan statistics (power sums about the midrange, value counts, pairwise sums) against
 * DuckDB's own aggregates computed the textbook way (two-pass standard deviation: DuckDB's
 * one-pass stddev_samp is off by 6e-9 on the far column) on the same 150,000 rows: a small-range
 * integer with missing values, a float far from zero (1e9 + a little), a float with missing
 * values, a constant, a wide-range integer.
 */
describe('profile scan', () => {
  let dir: string;
  let db: DuckDBInstance;
  const path = (): string => join(dir, 'scan.parquet');
  const columns: ColumnSchema[] = [
    { name: 'small', storageType: 'BIGINT', semanticType: 'integer' },
    { name: 'far', storageType: 'DOUBLE', semanticType: 'float' },
    { name: 'gappy', storageType: 'DOUBLE', semanticType: 'float' },
    { name: 'flat', storageType: 'DOUBLE', semanticType: 'float' },
    { name: 'wide', storageType: 'BIGINT', semanticType: 'integer' },
    { name: 'serial', storageType: 'BIGINT', semanticType: 'integer' },
  ];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scan-'));
    db = await openDuckDb({ threads: 2, memoryLimit: '512MB', tempDirectory: dir });
    await withConnection(db, (connection) =>
      connection.run(`COPY (SELECT
          CASE WHEN i % 7 = 0 THEN NULL ELSE (hash(i) % 100)::BIGINT - 50 END AS small,
          1e9 + sqrt(i) AS far,
          CASE WHEN i % 11 = 0 THEN NULL ELSE (hash(i * 3) % 10000) / 7.0 - 300 END AS gappy,
          5.0::DOUBLE AS flat,
          (hash(i * 5) % 1000000)::BIGINT AS wide,
          (i * 7919) % 150000 + 1 AS serial
        FROM range(150000) t(i)) TO '${path()}' (FORMAT parquet, ROW_GROUP_SIZE 65536)`),
    );
  });
  afterAll(() => {
    db.closeSync();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should match textbook aggregates on every column and pair', async () => {
    await withConnection(db, async (connection) => {
      const sketches = { distinct: false, quantiles: false };
      const scan = await scanColumns(connection, path(), columns, columns, 150_000, sketches);
      const [expected] = await queryRows(
        connection,
        `SELECT ${columns
          .map(
            ({ name: c }) =>
              `count(${c}) AS "n_${c}", avg(${c}) AS "mean_${c}",
               sqrt(sum((${c} - (SELECT avg(${c}) FROM '${path()}')) ** 2) / (count(${c}) - 1)) AS "std_${c}",
               skewness(${c} - (SELECT avg(${c}) FROM '${path()}')) AS "skew_${c}",
               min(${c})::DOUBLE AS "min_${c}", max(${c})::DOUBLE AS "max_${c}",
               count_if(${c} = 0) AS "zero_${c}", count_if(${c} < 0) AS "neg_${c}"`,
          )
          .join(', ')},
          corr(small, far) AS r_small_far, corr(small, gappy) AS r_small_gappy,
          corr(far, gappy) AS r_far_gappy, corr(gappy, wide) AS r_gappy_wide,
          quantile_cont(small, [0.05, 0.25, 0.5, 0.75, 0.95]) AS q_small,
          count(DISTINCT small) AS d_small,
          quantile_cont(gappy, [0.05, 0.25, 0.5, 0.75, 0.95]) AS q_gappy,
          count(DISTINCT gappy) AS d_gappy,
          count(DISTINCT far) AS d_far,
          count(DISTINCT wide) AS d_wide,
          count(DISTINCT serial) AS d_serial,
          quantile_cont(serial, [0.05, 0.25, 0.5, 0.75, 0.95]) AS q_serial,
          quantile_cont(far, [0.05, 0.25, 0.5, 0.75, 0.95]) AS q_far,
          quantile_cont(wide, [0.05, 0.25, 0.5, 0.75, 0.95]) AS q_wide
         FROM '${path()}'`,
      );
      const byName = new Map(scan.profiles.map((p) => [p.name, p]));
      const close = (actual: number | null | undefined, value: unknown, digits = 9): void => {
        // Both absent, or within `digits` significant digits of each other.
        const want = num(value as never);
        const error =
          want === null || actual === null || actual === undefined
            ? (actual ?? null) === want
              ? 0
              : Infinity
            : Math.abs(actual - want) / Math.max(1, Math.abs(want));
        expect(error).toBeLessThanOrEqual(10 ** -digits);
      };
      for (const { name } of columns) {
        const p = byName.get(name)!;
        expect(p.count).toBe(num(expected[`n_${name}`]));
        close(p.mean, expected[`mean_${name}`]);
        close(p.std, expected[`std_${name}`]);
        close(p.min as number, expected[`min_${name}`]);
        close(p.max as number, expected[`max_${name}`]);
        expect(p.zeros).toBe(num(expected[`zero_${name}`]));
        expect(p.negatives).toBe(num(expected[`neg_${name}`]));
        expect(p.histogram!.reduce((sum, bin) => sum + bin.count, 0)).toBe(p.count);
      }
      for (const name of ['small', 'gappy', 'wide'])
        close(byName.get(name)!.skewness, expected[`skew_${name}`], 7);
      expect(byName.get('flat')!.std).toBe(0);
      expect(byName.get('flat')!.skewness).toBeNull();
      // The small-range integer, and the float the footer shows to hold few distinct values,
      // came as exact value counts: exact distinct counts and quantiles.
      for (const name of ['small', 'gappy']) {
        const p = byName.get(name)!;
        expect(p).toMatchObject({ distinct: num(expected[`d_${name}`]), distinctExact: true });
        const q = (expected[`q_${name}`] as unknown as { items: number[] }).items;
        const { p5, p25, p50, p75, p95 } = p.quantiles!;
        [p5, p25, p50, p75, p95].forEach((value, k) => close(value, q[k]));
      }
      // Sketches asked for: the wide columns say their numbers are estimates.
      expect(byName.get('far')).toMatchObject({ distinctExact: false, quantilesExact: false });
      // Asked for exact numbers, the wide columns get them (HyperLogLog is ≈ 10 % off).
      const exact = await scanColumns(connection, path(), columns, columns, 150_000, {
        distinct: true,
        quantiles: true,
      });
      // `serial` holds 1..150,000 in shuffled order: its quantiles follow from its span.
      for (const name of ['far', 'wide', 'serial']) {
        const p = exact.profiles.find((profile) => profile.name === name)!;
        expect(p).toMatchObject({
          distinct: num(expected[`d_${name}`]),
          distinctExact: true,
          quantilesExact: true,
        });
        const q = (expected[`q_${name}`] as unknown as { items: number[] }).items;
        const { p5, p25, p50, p75, p95 } = p.quantiles!;
        [p5, p25, p50, p75, p95].forEach((value, k) => close(value, q[k], 12));
      }
      const r = (a: string, b: string): number | null =>
        scan.pearson.values[scan.pearson.columns.indexOf(a)][scan.pearson.columns.indexOf(b)];
      close(r('small', 'far'), expected.r_small_far);
      close(r('small', 'gappy'), expected.r_small_gappy);
      close(r('far', 'gappy'), expected.r_far_gappy);
      close(r('gappy', 'wide'), expected.r_gappy_wide);
      expect(r('flat', 'wide')).toBeNull();
      expect(scan.duplicateRows).toBe(0);
    });
  });

  it('should not confuse user columns named like the scan’s own columns', async () => {
    const named = join(dir, 'named.parquet');
    const names = ['x1', 'c0', 'x0', 'nml_row_hash'];
    await withConnection(db, async (connection) => {
      await connection.run(
        `COPY (SELECT i::DOUBLE AS x1, 1000 + i AS c0, -i AS x0, 7 AS nml_row_hash FROM range(1, 101) t(i))
         TO '${named}' (FORMAT parquet)`,
      );
      const schema: ColumnSchema[] = names.map((name) => ({
        name,
        storageType: name === 'x1' ? 'DOUBLE' : 'BIGINT',
        semanticType: name === 'x1' ? 'float' : 'integer',
      }));
      const scan = await scanColumns(connection, named, schema, schema, 100, {
        distinct: true,
        quantiles: true,
      });
      expect(scan.profiles.map((p) => [p.name, p.mean, p.min, p.max])).toEqual([
        ['x1', 50.5, 1, 100],
        ['c0', 1050.5, 1001, 1100],
        ['x0', -50.5, -100, -1],
        ['nml_row_hash', 7, 7, 7],
      ]);
      expect(scan.pearson.values[0][2]).toBeCloseTo(-1, 12);
      expect(scan.contentHash).toBe(await contentHash(connection, named, schema));
    });
  });

  it('should count duplicate rows unless a column tells every row apart', async () => {
    const dups = join(dir, 'dups.parquet');
    const schema: ColumnSchema[] = [
      { name: 'key', storageType: 'BIGINT', semanticType: 'integer' },
      { name: 'group', storageType: 'BIGINT', semanticType: 'integer' },
    ];
    const exactly = { distinct: true, quantiles: true };
    await withConnection(db, async (connection) => {
      // Unique keys on every row: no duplicates (the duplicate count is skipped).
      await connection.run(
        `COPY (SELECT i AS key, i % 3 AS "group" FROM range(1000) t(i)) TO '${dups}' (FORMAT parquet)`,
      );
      expect((await scanColumns(connection, dups, schema, [], 1000, exactly)).duplicateRows).toBe(
        0,
      );
      // Keys distinct wherever present, but missing on 10 rows that share a group: 7 repeats.
      await connection.run(
        `COPY (SELECT CASE WHEN i < 10 THEN NULL ELSE i END AS key,
           CASE WHEN i < 10 THEN i % 3 ELSE i END AS "group" FROM range(1000) t(i))
         TO '${dups}' (FORMAT parquet)`,
      );
      expect((await scanColumns(connection, dups, schema, [], 1000, exactly)).duplicateRows).toBe(
        7,
      );
    });
  });

  it('should interpolate quantiles and bin values from counts as DuckDB does', () => {
    const counts = valueCountsOf([
      [3, 2],
      [-1, 1],
      [10, 4],
    ]);
    // Sorted values: -1, 3, 3, 10, 10, 10, 10
    expect(quantileOfCounts(counts, 0)).toBe(-1);
    expect(quantileOfCounts(counts, 0.25)).toBe(3); // h = 1.5 between 3 and 3
    expect(quantileOfCounts(counts, 0.5)).toBe(10); // h = 3
    expect(quantileOfCounts(counts, 0.4)).toBeCloseTo(3 + 0.4 * 7, 12); // h = 2.4
    expect(quantileOfCounts(valueCountsOf([]), 0.5)).toBeNull();
    expect(binCounts(counts, [0, 3, 9])).toEqual([1, 2, 0]); // 10 is above the last edge
  });
});
