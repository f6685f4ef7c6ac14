import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { StepTableCache } from './step-table-cache';

/** 100 rows × 1 column ≈ 1,200 estimated bytes per table in these tests. */
const ROWS = 100;
const TABLE_BYTES = ROWS * 1 * 12;
const make = (value: number) => () => Promise.resolve(`SELECT ${value} AS v FROM range(${ROWS})`);

describe('StepTableCache', () => {
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  let other: DuckDBConnection;

  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    connection = await instance.connect();
    other = await instance.connect();
  });
  afterAll(() => {
    connection.closeSync();
    other.closeSync();
    instance.closeSync();
  });

  async function exists(name: string): Promise<boolean> {
    const reader = await connection.runAndReadAll(
      `SELECT count(*) FROM duckdb_tables() WHERE table_name = '${name}'`,
    );
    return Number(reader.getRows()[0][0]) === 1;
  }

  it('should make a table once and share it between previews on other connections', async () => {
    const cache = new StepTableCache(10 * TABLE_BYTES);
    const first = cache.lease(connection, 'v1', ROWS);
    let makes = 0;
    const counted = () => {
      makes += 1;
      return make(1)();
    };
    await first.ensure('k', counted, 1);
    await first.release();
    const second = cache.lease(other, 'v1', ROWS);
    await second.ensure('k', counted, 1);
    const reader = await other.runAndReadAll(`SELECT sum(v) FROM "${second.name('k')}"`);
    expect(Number(reader.getRows()[0][0])).toBe(ROWS);
    await second.release();
    expect(makes).toBe(1);
  });

  it('should drop the least recently used tables over the budget, never one in use', async () => {
    const cache = new StepTableCache(2 * TABLE_BYTES);
    const holder = cache.lease(other, 'v1', ROWS);
    await holder.ensure('a', make(1), 1); // held until the end
    const lease = cache.lease(connection, 'v1', ROWS);
    await lease.ensure('b', make(2), 1);
    await lease.ensure('c', make(3), 1);
    await lease.release(); // 3 tables over a budget of 2: b goes, a is held
    expect(await exists(lease.name('a'))).toBe(true);
    expect(await exists(lease.name('b'))).toBe(false);
    expect(await exists(lease.name('c'))).toBe(true);
    await holder.release();
    expect(await exists(lease.name('a'))).toBe(true); // within the budget again

    const again = cache.lease(connection, 'v1', ROWS);
    await again.ensure('b', make(2), 1); // made again under the same name
    await again.release(); // a is now the least recently used
    expect(await exists(lease.name('a'))).toBe(false);
    expect(await exists(lease.name('b'))).toBe(true);
  });

  it('should forget a version at once, or when the preview holding its tables ends', async () => {
    const cache = new StepTableCache(100 * TABLE_BYTES);
    const idle = cache.lease(connection, 'gone', ROWS);
    await idle.ensure('idle', make(1), 1);
    await idle.release();
    const busy = cache.lease(other, 'gone', ROWS);
    await busy.ensure('busy', make(2), 1);
    const kept = cache.lease(connection, 'kept', ROWS);
    await kept.ensure('kept', make(3), 1);
    await kept.release();

    const free = cache.forget('gone');
    expect(free).toEqual([idle.name('idle')]);
    await cache.drop(connection, free);
    expect(await exists(idle.name('idle'))).toBe(false);
    expect(await exists(busy.name('busy'))).toBe(true); // still read by its preview
    await busy.release();
    expect(await exists(busy.name('busy'))).toBe(false);
    expect(await exists(kept.name('kept'))).toBe(true);
  });

  it('should let previews still running on a forgotten sample share and then drop its tables', async () => {
    const cache = new StepTableCache(100 * TABLE_BYTES);
    const running = cache.lease(connection, 'old-sample', ROWS);
    await running.ensure('shared', make(1), 1);
    expect(cache.forget('old-sample')).toEqual([]); // held: dropped later
    // another preview that started on the same sample before it was forgotten
    const late = cache.lease(other, 'old-sample', ROWS);
    let made = 0;
    await late.ensure(
      'shared',
      () => {
        made += 1;
        return make(1)();
      },
      1,
    );
    expect(made).toBe(0); // shared, not made again under the same name
    await late.ensure('late', make(2), 1); // a table made after the sample was forgotten
    await running.release();
    expect(await exists(running.name('shared'))).toBe(true); // the late preview still holds it
    await late.release();
    expect(await exists(running.name('shared'))).toBe(false);
    expect(await exists(late.name('late'))).toBe(false);
  });

  it('should say a table was asked for before only when an earlier preview asked for it', async () => {
    const cache = new StepTableCache(100 * TABLE_BYTES, 2);
    const first = cache.lease(connection, 'v1', ROWS);
    expect(first.askedBefore('a')).toBe(false);
    expect(first.askedBefore('a')).toBe(false); // the same preview again does not count
    await first.release();
    const second = cache.lease(connection, 'v1', ROWS);
    expect(second.askedBefore('a')).toBe(true);
    expect(second.askedBefore('b')).toBe(false);
    expect(second.askedBefore('c')).toBe(false); // over the limit of 2: 'a' is forgotten
    await second.release();
    const third = cache.lease(connection, 'v1', ROWS);
    expect(third.askedBefore('a')).toBe(false);
    expect(third.askedBefore('c')).toBe(true);
    await third.release();
  });

  it('should not keep a table whose query failed, and make it on the next try', async () => {
    const cache = new StepTableCache(100 * TABLE_BYTES);
    const lease = cache.lease(connection, 'v1', ROWS);
    await expect(
      lease.ensure('bad', () => Promise.resolve('SELECT no_such_column FROM range(3)'), 1),
    ).rejects.toThrow(/no_such_column/);
    await lease.ensure('bad', make(4), 1);
    expect(await exists(lease.name('bad'))).toBe(true);
    await lease.release();
  });
});
