import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';
import { openDuckDb, withConnection } from './duckdb';
import { TOP_CATEGORIES, topCategoryCounts, type ValueCount } from './top-categories';

describe('top categories', () => {
  let dir: string;
  let db: DuckDBInstance;
  // Columns named like the UNPIVOT's own, ties, missing values, a boolean, nothing at all.
  const names = ['k', 'v', 'flag', 'none', 'k0'];
  const rows = Array.from({ length: 600 }, (_, r) => [
    `cat${(r * 7) % 13}`,
    r % 5 === 0 ? null : `w${r % 25}`,
    r % 3 === 0,
    null,
    `x${r % 2}`,
  ]);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'top-'));
    db = await openDuckDb({ threads: 1, memoryLimit: '256MB', tempDirectory: dir });
    const literal = (v: string | boolean | null): string =>
      v === null ? 'NULL' : typeof v === 'boolean' ? String(v) : `'${v}'`;
    await withConnection(db, (connection) =>
      connection.run(`CREATE TABLE t AS SELECT * FROM (VALUES ${rows
        .map((row) => `(${row.map(literal).join(', ')})`)
        .join(', ')}) AS v(k, v, flag, "none", k0);
        ALTER TABLE t ALTER "none" TYPE VARCHAR`),
    );
  });
  afterAll(() => {
    db.closeSync();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Counts by value, most frequent first, ties by value in text order. */
  function expected(column: number): ValueCount[] {
    const counts = new Map<string, number>();
    for (const row of rows) {
      const value = row[column];
      if (value !== null) counts.set(String(value), (counts.get(String(value)) ?? 0) + 1);
    }
    return [...counts]
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
      .slice(0, TOP_CATEGORIES);
  }

  it.each([
    ['one query per column', 10_000_000],
    ['columns sharing a query', rows.length],
  ])('should count the most frequent values with %s', async (_, rowCount) => {
    const counted = await withConnection(db, (connection) =>
      topCategoryCounts(connection, 't', names, [0, 1, 2, 3, 4], rowCount),
    );
    expect([0, 1, 2, 3, 4].map((i) => counted.get(i))).toEqual(
      [0, 1, 2, 3, 4].map((i) => expected(i)),
    );
    expect(counted.get(1)).toHaveLength(TOP_CATEGORIES); // 25 values: the top ten only
  });
});
