import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';
import { distinctCounts, fitsBitset } from './distinct-counts';
import { num, openDuckDb, queryRows, withConnection } from './duckdb';

/** Bitset and hash distinct counts against DuckDB's count(DISTINCT) on the same columns. */
describe('distinct counts', () => {
  let dir: string;
  let db: DuckDBInstance;
  const path = (): string => join(dir, 'distinct.parquet');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'distinct-'));
    db = await openDuckDb({ threads: 2, memoryLimit: '512MB', tempDirectory: dir });
    await withConnection(db, (connection) =>
      connection.run(`COPY (SELECT
          i AS id,
          CASE WHEN i % 5 = 0 THEN NULL ELSE (hash(i) % 40000)::BIGINT - 20000 END AS gappy,
          NULL::BIGINT AS empty,
          (hash(i) % 1000)::DOUBLE / 8 AS float
        FROM range(100000) t(i)) TO '${path()}' (FORMAT parquet)`),
    );
  });
  afterAll(() => {
    db.closeSync();
    rmSync(dir, { recursive: true, force: true });
  });

  const expected = async (column: string): Promise<number> =>
    withConnection(db, async (connection) => {
      const [row] = await queryRows(
        connection,
        `SELECT count(DISTINCT ${column}) AS d FROM '${path()}'`,
      );
      return num(row.d) ?? -1;
    });

  it('should count integers in a bitset exactly as count(DISTINCT) does, missing values aside', async () => {
    const counts = await withConnection(db, (connection) =>
      distinctCounts(
        connection,
        path(),
        [
          { index: 0, value: '"id"', integerBounds: { min: 0, max: 99_999 } },
          { index: 1, value: '"gappy"', integerBounds: { min: -20_000, max: 20_000 } },
          { index: 2, value: '"empty"', integerBounds: { min: 0, max: 0 } },
          { index: 3, value: '"float"' },
        ],
        100_000,
      ),
    );
    expect(counts.get(0)).toBe(100_000);
    expect(counts.get(1)).toBe(await expected('gappy'));
    expect(counts.get(1)).toBeGreaterThan(20_000);
    expect(counts.get(2)).toBe(0);
    expect(counts.get(3)).toBe(await expected('float'));
  });

  it('should fall back to hashing when values lie outside the bounds it was given', async () => {
    const counts = await withConnection(db, (connection) =>
      distinctCounts(
        connection,
        path(),
        [{ index: 1, value: '"gappy"', integerBounds: { min: 0, max: 20_000 } }],
        100_000,
      ),
    );
    expect(counts.get(1)).toBe(await expected('gappy'));
  });

  it('should take the bitset only for ranges small against the rows and safe as integers', () => {
    expect(fitsBitset({ min: 0, max: 99_999 }, 100_000)).toBe(true);
    expect(fitsBitset({ min: 0, max: 16 * 100_000 }, 100_000)).toBe(false);
    expect(fitsBitset({ min: 0, max: 2 ** 24 }, 10_000_000)).toBe(false);
    expect(fitsBitset({ min: 0, max: 2 ** 53 }, 10_000_000)).toBe(false);
    expect(fitsBitset({ min: 0.5, max: 10 }, 100)).toBe(false);
    expect(fitsBitset(undefined, 100)).toBe(false);
  });
});
