import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';
import { num, openDuckDb, queryRows, withConnection } from './duckdb';
import { selectQuantiles } from './quantile-selection';

const QUANTILES = [0, 0.05, 0.25, 0.5, 0.75, 0.95, 1];

/**
 * Selection against DuckDB's exact quantile_cont (which holds and sorts every value) on value
 * sets chosen to take each path: even spreads read back from first-level buckets, a skew and a
 * cluster that need further splits, heavy ties, a spread too narrow and one too wide for
 * doubles to bucket, missing values, and sets small enough to read back whole.
 */
describe('quantiles by selection', () => {
  let dir: string;
  let db: DuckDBInstance;
  const path = (): string => join(dir, 'values.parquet');
  // u: a deterministic uniform value in [0, 1) per row.
  const u = '((hash(i) % 1000003) / 1000003.0)';
  const cases: Record<string, string> = {
    even: `${u} * 1000 - 300`,
    skewed: `exp(${u} * 30)`,
    clustered: `CASE WHEN i % 4 = 0 THEN 1e9 + ${u} ELSE ${u} * 1e-6 END`,
    ties: `CASE WHEN i % 10 < 7 THEN 0 ELSE hash(i) % 1000 END`,
    twoValues: `(i % 2)::DOUBLE`,
    narrow: `1 + (hash(i) % 50000) * 1e-15`,
    huge: `(${u} - 0.5) * 1.7e308 * 2`,
    gappy: `CASE WHEN i % 3 = 0 THEN NULL ELSE ${u} END`,
    fewRows: `CASE WHEN i < 5 THEN i * 2.5 END`,
    oneValue: `CASE WHEN i < 40000 THEN 7.25 END`,
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'selection-'));
    db = await openDuckDb({ threads: 2, memoryLimit: '512MB', tempDirectory: dir });
    await withConnection(db, (connection) =>
      connection.run(
        `COPY (SELECT ${Object.entries(cases)
          .map(([name, sql]) => `(${sql})::DOUBLE AS ${name}`)
          .join(', ')} FROM range(300000) t(i)) TO '${path()}' (FORMAT parquet)`,
      ),
    );
  });
  afterAll(() => {
    db.closeSync();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(Object.keys(cases))('should match quantile_cont on %s values', async (name) => {
    await withConnection(db, async (connection) => {
      const [expected] = await queryRows(
        connection,
        `SELECT count(${name}) AS n, min(${name}) AS lo, max(${name}) AS hi,
           quantile_cont(${name}, [${QUANTILES.join(', ')}]) AS q FROM '${path()}'`,
      );
      const relation = `(SELECT ${name} AS v FROM '${path()}')`;
      const stats = { count: num(expected.n)!, min: num(expected.lo)!, max: num(expected.hi)! };
      const selected = await selectQuantiles(connection, relation, stats, QUANTILES);
      const reference = (expected.q as unknown as { items: number[] }).items;
      selected.forEach((value, k) => {
        const scale = Math.max(Math.abs(reference[k]), Number.MIN_VALUE);
        expect(Math.abs(value! - reference[k]) / scale).toBeLessThan(1e-12);
      });
    });
  });

  it('should answer null for a column without values', async () => {
    await withConnection(db, async (connection) => {
      const relation = `(SELECT NULL::DOUBLE AS v FROM '${path()}')`;
      const none = await selectQuantiles(connection, relation, { count: 0, min: 0, max: 0 }, [0.5]);
      expect(none).toEqual([null]);
    });
  });
});
