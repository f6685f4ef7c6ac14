import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';
import { openDuckDb, withConnection } from './duckdb';
import { processLocalFile } from './process-file';
import { cramersV } from './profiler';
import { averageRanks, pearson } from './rank-correlation';
import { StructureValidator } from './structure-validator';
import { semanticOf } from './semantic-types';
import { contentHash } from './content-hash';
import { createTypedCopy, rowGroupRows } from './typed-copy';
import type { DatasetFormat } from './formats';

describe('dataset engine', () => {
  let dir: string;
  let db: DuckDBInstance;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'engine-'));
    db = await openDuckDb({ threads: 1, memoryLimit: '256MB', tempDirectory: dir });
  });
  afterAll(() => {
    db.closeSync();
    rmSync(dir, { recursive: true, force: true });
  });

  /** `sampled` drops the upload pass's lexical types, as for a version stored before them. */
  async function run(
    name: string,
    content: string,
    format: DatasetFormat = 'csv',
    { sampled = false } = {},
  ) {
    const path = join(dir, name);
    writeFileSync(path, content);
    const validator = new StructureValidator(format);
    validator.push(Buffer.from(content));
    const structure = validator.finish();
    if (sampled) {
      delete structure.lexicalTypes;
      delete structure.missingMarkers;
    }
    return processLocalFile(db, {
      sourcePath: path,
      structure,
      parquetPath: join(dir, `${name}.parquet`),
      title: name,
    });
  }

  it('should infer types strictly (1.0 is a float, a date with a time is a datetime, 007 an integer)', async () => {
    const result = await run(
      'types.csv',
      'i,f,b,d,t,s\n1,1.0,TRUE,2020-01-01,2020-01-01 10:00,x\n007,2,no,2020-02-01,2020-01-02,y\n',
    );
    expect(result.columns.map((c) => c.storageType)).toEqual([
      'BIGINT',
      'DOUBLE',
      'BOOLEAN',
      'DATE',
      'TIMESTAMP',
      'VARCHAR',
    ]);
  });

  it('should read a CSV typed by the upload pass exactly as the sampled path reads it', async () => {
    // CRLF, quoted numbers, padded values, missing markers, mixed-case words, an all-missing
    // column, escaped quotes: both paths must agree on types and on every value (the hash).
    const csv = [
      'n,f,b,d,t,q,none,s',
      '1,1.5,Yes,2020-01-01,2020-01-01T10:00,"12",NA,hello',
      ' 2 ,.5, no ,2020-12-31,2020-01-02 10:00:05.5,"-3",,"a,b"',
      'NA,5.,TRUE,,2020-01-03,"",null,""""',
      '-4,1e3,false,2021-06-30,,+7,N/A,',
    ].join('\r\n');
    const fast = await run('lexical.csv', `${csv}\r\n`);
    const sampled = await run('lexical.csv', `${csv}\r\n`, 'csv', { sampled: true });
    expect(fast.typedBy).toBe('upload-pass');
    expect(sampled.typedBy).toBe('full-scan'); // the all-missing column sends it there
    expect(fast.columns.map((c) => c.storageType)).toEqual([
      'BIGINT',
      'DOUBLE',
      'BOOLEAN',
      'DATE',
      'TIMESTAMP',
      'BIGINT',
      'VARCHAR',
      'VARCHAR',
    ]);
    expect(fast.columns).toEqual(sampled.columns);
    expect(fast.rowCount).toBe(4);
    expect(fast.contentHash).toBe(sampled.contentHash);
    expect(fast.profile.columns.map((c) => c.missing)).toEqual(
      sampled.profile.columns.map((c) => c.missing),
    );
  });

  it('should read bare and padded boolean words alike, on every path', async () => {
    // The bare column goes through DuckDB's own BOOLEAN reader, the padded one through SQL.
    const csv = 'bare,padded,n\nYes,yes ,1\nfalse, FALSE,2\n,,3\nNO,No,4\ntrue,true,5\n';
    const fast = await run('booleans.csv', csv);
    const sampled = await run('booleans-sampled.csv', csv, 'csv', { sampled: true });
    expect(fast.typedBy).toBe('upload-pass');
    expect(fast.columns.map((c) => c.storageType)).toEqual(['BOOLEAN', 'BOOLEAN', 'BIGINT']);
    expect(fast.contentHash).toBe(sampled.contentHash);
    const stored = await withConnection(db, async (connection) =>
      (
        await connection.runAndReadAll(
          `SELECT bare, padded FROM '${join(dir, 'booleans.csv.parquet')}' ORDER BY n`,
        )
      ).getRows(),
    );
    const expected = [true, false, null, false, true];
    expect(stored).toEqual(expected.map((value) => [value, value]));
  });

  it('should store calendar dates in the order their values tell, on every path and format', async () => {
    // d: day first (31/12), m: month first (12/31), a: never tells (stays text), x: 31/02 is no
    // date (stays text: the fast path's copy refuses it and the verifying path decides), t: day
    // first with times (a timestamp; a date alone is midnight).
    const rows = [
      ['31/12/2024', '12/31/2024', '01/02/2024', '15.03.2024', '31/12/2024 9:05', 1],
      ['1.2.2024', '1-2-2024', '03/04/2024', '31/02/2024', '1/2/2024', 2],
      ['', '2/29/2024', '', '', '', 3],
      [' 05-06-2024 ', '10/5/2024', '12/12/2024', '01/01/2024', '5.6.2024 14:30:15', 4],
    ];
    const csv = `d,m,a,x,t,n\n${rows.map((row) => row.join(',')).join('\n')}\n`;
    const jsonl = rows
      .map(([d, m, a, x, t, n]) =>
        JSON.stringify({ d: d || null, m, a: a || null, x: x || null, t: t || null, n }),
      )
      .join('\n');
    const validator = new StructureValidator('csv');
    validator.push(Buffer.from(csv));
    expect(validator.finish().dateOrders).toEqual([
      'day-first',
      'month-first',
      null,
      'day-first',
      'day-first',
      null,
    ]);
    const results = [
      await run('calendar.csv', csv),
      await run('calendar-sampled.csv', csv, 'csv', { sampled: true }),
      await run('calendar.jsonl', `${jsonl}\n`, 'jsonl'),
    ];
    // 31/02 sent it off the fast path; column a's sample cannot tell its order: a full scan.
    expect(results[0].typedBy).toBe('full-scan');
    for (const result of results) {
      expect(result.columns.map((c) => c.storageType)).toEqual([
        'DATE',
        'DATE',
        'VARCHAR',
        'VARCHAR',
        'TIMESTAMP',
        'BIGINT',
      ]);
      expect(result.contentHash).toBe(results[0].contentHash);
      // The profile says why column a stayed text, and x (which has a day-first date) is not it.
      expect(result.profile.columns.map((c) => c.undecidedDates)).toEqual([
        undefined,
        undefined,
        true,
        undefined,
        undefined,
        undefined,
      ]);
      expect(result.profile.alerts).toContainEqual(
        expect.objectContaining({
          type: 'undecided-dates',
          columns: ['a'],
          message: expect.stringContaining('dateOrder'),
        }),
      );
    }
    const stored = await withConnection(db, async (connection) =>
      (
        await connection.runAndReadAll(
          `SELECT CAST(d AS VARCHAR), CAST(m AS VARCHAR), CAST(t AS VARCHAR) FROM '${join(dir, 'calendar.csv.parquet')}' ORDER BY n`,
        )
      ).getRows(),
    );
    expect(stored).toEqual([
      ['2024-12-31', '2024-12-31', '2024-12-31 09:05:00'],
      ['2024-02-01', '2024-01-02', '2024-02-01 00:00:00'],
      [null, '2024-02-29', null],
      ['2024-06-05', '2024-10-05', '2024-06-05 14:30:15'],
    ]);
    // Without the impossible date, the upload pass's types are read directly, with the same result.
    const clean = csv.replace('31/02/2024', '28/02/2024');
    const fast = await run('calendar-clean.csv', clean);
    const slow = await run('calendar-clean-sampled.csv', clean, 'csv', { sampled: true });
    expect(fast.typedBy).toBe('upload-pass');
    expect(fast.columns.map((c) => c.storageType)).toEqual([
      'DATE',
      'DATE',
      'VARCHAR',
      'DATE',
      'TIMESTAMP',
      'BIGINT',
    ]);
    expect(slow.contentHash).toBe(fast.contentHash);
    // A sample that tells every order takes the one-pass copy, which checks each value as it goes.
    const told = 'd,m,t\n31/12/2024,12/31/2024,12/31/2024 23:59\n1.2.2024,1-2-2024,1/2/2024\n';
    const sampled = await run('calendar-told.csv', told, 'csv', { sampled: true });
    expect(sampled.typedBy).toBe('sample');
    expect(sampled.contentHash).toBe((await run('calendar-told-fast.csv', told)).contentHash);
    expect(sampled.columns.map((c) => c.storageType)).toEqual(['DATE', 'DATE', 'TIMESTAMP']);
  });

  it('should store decimal-comma numbers as floats, on every path', async () => {
    const csv = 'price;qty;city\n1,5;2;Köln\n-12,75;3;Lyon\n;4;Gent\n3;5;Graz\n';
    const fast = await run('commas.csv', csv);
    const sampled = await run('commas-sampled.csv', csv, 'csv', { sampled: true });
    for (const result of [fast, sampled]) {
      expect(result.columns.map((c) => c.storageType)).toEqual(['DOUBLE', 'BIGINT', 'VARCHAR']);
      expect(result.profile.columns[0]).toMatchObject({ count: 3, min: -12.75, max: 3 });
      expect(result.profile.columns[0].mean).toBeCloseTo((1.5 - 12.75 + 3) / 3, 12);
    }
    expect(fast.typedBy).toBe('upload-pass');
    expect(sampled.contentHash).toBe(fast.contentHash);
  });

  it('should store datetimes with a UTC offset as the UTC instant, on every path', async () => {
    const csv =
      'moment,n\n2023-01-05T10:00:00Z,1\n2023-01-05 10:00:00+02:00,2\n' +
      '2023-01-05T10:00:00.5-05:30,3\n2023-01-05 10:00,4\n';
    const stored = async (name: string, sampled: boolean): Promise<string[]> => {
      const result = await run(name, csv, 'csv', { sampled });
      expect(result.columns[0].storageType).toBe('TIMESTAMP');
      return withConnection(db, async (connection) =>
        (
          await connection.runAndReadAll(
            `SELECT CAST(moment AS VARCHAR) FROM '${join(dir, `${name}.parquet`)}' ORDER BY n`,
          )
        )
          .getRows()
          .map((row) => String(row[0])),
      );
    };
    const utc = [
      '2023-01-05 10:00:00',
      '2023-01-05 08:00:00',
      '2023-01-05 15:30:00.5',
      '2023-01-05 10:00:00',
    ];
    expect(await stored('zones.csv', false)).toEqual(utc);
    expect(await stored('zones-sampled.csv', true)).toEqual(utc);
  });

  it('should fall back to checking the values when DuckDB refuses one the patterns admit', async () => {
    // A 20-digit integer does not fit BIGINT and 2021-02-30 is no date: both become what the
    // verifying scan says (float, text), as they would without the upload pass's types.
    const result = await run(
      'refused.csv',
      'big,day\n12345678901234567890,2021-02-30\n1,2021-01-01\n',
    );
    expect(result.typedBy).toBe('full-scan');
    expect(result.columns.map((c) => c.storageType)).toEqual(['DOUBLE', 'VARCHAR']);
  });

  it('should refuse a Parquet file with a column named like the row numbers', async () => {
    const path = join(dir, 'reserved.parquet');
    await withConnection(db, (connection) =>
      connection.run(`COPY (SELECT 1 AS a, 2 AS file_row_number) TO '${path}' (FORMAT parquet)`),
    );
    await expect(
      processLocalFile(db, {
        sourcePath: path,
        structure: { format: 'parquet', columns: [], byteCount: 0, sha256: '' },
        parquetPath: `${path}.typed.parquet`,
        title: 'reserved',
      }),
    ).rejects.toMatchObject({ code: 'dataset-reserved-column-name' });
  });

  it('should store Parquet’s other types as the nearest it has, losing no value', async () => {
    const path = join(dir, 'types.parquet');
    await withConnection(db, (connection) =>
      connection.run(`COPY (SELECT (18446744073709551615 - i)::UBIGINT AS huge_id, i::UBIGINT AS small,
          i::DECIMAL(18, 3) / 8 AS price, [i, i + 1] AS pair, {'a': i, 'b': 'x'} AS record,
          TIMESTAMPTZ '2024-01-01 10:00:00+02' + INTERVAL (i) HOUR AS happened
        FROM range(3) t(i)) TO '${path}' (FORMAT parquet)`),
    );
    const result = await processLocalFile(db, {
      sourcePath: path,
      structure: { format: 'parquet', columns: [], byteCount: 0, sha256: '' },
      parquetPath: `${path}.typed.parquet`,
      title: 'types',
    });
    expect(result.columns.map((c) => c.storageType)).toEqual([
      'VARCHAR', // beyond BIGINT: exact digits
      'BIGINT',
      'DOUBLE',
      'VARCHAR',
      'VARCHAR',
      'TIMESTAMP', // in UTC
    ]);
    const stored = await withConnection(db, async (connection) =>
      (
        await connection.runAndReadAll(`SELECT huge_id, pair, record, CAST(happened AS VARCHAR)
          FROM '${path}.typed.parquet' ORDER BY small`)
      ).getRows(),
    );
    expect(stored[2]).toEqual([
      '18446744073709551613',
      '[2,3]',
      '{"a":2,"b":"x"}', // nested values as JSON
      '2024-01-01 10:00:00',
    ]);
    expect(result.profile.columns[2]).toMatchObject({ min: 0, max: 0.25 });
    // In UTC on any server: DuckDB would otherwise take the process's zone (Etc/UTC here).
    const zone = await withConnection(db, async (connection) =>
      (await connection.runAndReadAll(`SELECT current_setting('TimeZone')`)).getRows(),
    );
    expect(zone).toEqual([['UTC']]);
  });

  // 200 rows take the one scan's aggregates; 200,000 the per-column queries of tall tables.
  it.each([200, 200_000])(
    'should read NaN as missing and leave infinities out of the statistics (%d rows)',
    async (rows) => {
      const path = join(dir, `floats-${rows}.parquet`);
      const source = `SELECT i, CASE WHEN i % 10 = 0 THEN 'NaN'::DOUBLE WHEN i = 5 THEN 'inf'::DOUBLE
        WHEN i = 7 THEN '-inf'::DOUBLE ELSE (i - 50) * 1.5 END AS x FROM range(${rows}) t(i)`;
      const expected = await withConnection(db, async (connection) => {
        await connection.run(`COPY (${source}) TO '${path}' (FORMAT parquet)`);
        // The same statistics straight from DuckDB, over the finite values.
        const reader = await connection.runAndReadAll(
          `SELECT count(*) FILTER (WHERE NOT isnan(x)), count(*) FILTER (WHERE isinf(x)),
           min(x) FILTER (WHERE isfinite(x)), max(x) FILTER (WHERE isfinite(x)),
           avg(x) FILTER (WHERE isfinite(x)), stddev_samp(x) FILTER (WHERE isfinite(x)),
           quantile_cont(x, 0.5) FILTER (WHERE isfinite(x)), count(*) FILTER (WHERE x < 0),
           corr(i, x) FILTER (WHERE isfinite(x))
         FROM (${source})`,
        );
        return reader.getRows()[0].map(Number);
      });
      const [present, infinite, min, max, mean, std, median, negatives, r] = expected;
      const result = await processLocalFile(db, {
        sourcePath: path,
        structure: { format: 'parquet', columns: [], byteCount: 0, sha256: '' },
        parquetPath: `${path}.typed.parquet`,
        title: 'floats',
      });
      const x = result.profile.columns[1];
      expect(x).toMatchObject({ count: present, missing: rows - present, infinite, min, max });
      expect(x.negatives).toBe(negatives); // -∞ is negative too (NaN is not)
      expect(x.mean).toBeCloseTo(mean, 10);
      expect(x.std! / std).toBeCloseTo(1, 10);
      expect(x.quantiles?.p50).toBeCloseTo(median, 10);
      expect(x.quantilesExact).toBe(true);
      expect(x.histogram!.reduce((sum, bin) => sum + bin.count, 0)).toBe(present - infinite);
      expect(result.profile.alerts.map((a) => `${a.type}:${a.columns.join('+')}`)).toContain(
        'infinite:x',
      );
      expect(result.profile.correlations.pearson.columns).toEqual(['i', 'x']);
      expect(result.profile.correlations.pearson.values[0][1]).toBeCloseTo(r, 10);
    },
  );

  it('should write wide tables with fewer rows per row group', async () => {
    expect([1, 20, 152, 153, 300, 1000, 10_000].map(rowGroupRows)).toEqual([
      65_536, 65_536, 65_536, 32_768, 32_768, 8192, 2048,
    ]);
    const path = join(dir, 'wide.parquet');
    const columns = Array.from({ length: 200 }, (_, k) => `i * ${k} AS c${k}`).join(', ');
    const groups = await withConnection(db, async (connection) => {
      await connection.run(
        `COPY (SELECT ${columns} FROM range(40000) t(i)) TO '${path}' (FORMAT parquet)`,
      );
      const structure = { format: 'parquet' as const, columns: [], byteCount: 0, sha256: '' };
      await createTypedCopy(connection, path, structure, `${path}.typed.parquet`);
      const reader = await connection.runAndReadAll(
        `SELECT DISTINCT row_group_num_rows FROM parquet_metadata('${path}.typed.parquet') ORDER BY 1`,
      );
      return reader.getRows().map(([rows]) => Number(rows));
    });
    expect(groups).toEqual([40_000 - 32_768, 32_768]);
  });

  it('should type columns the first 10,000 rows misjudge as the whole file says', async () => {
    // Rows past the sample break the sampled types: the one-pass copy gives up and the
    // verifying path decides (a float among integers, text among dates, a late-only column).
    const rows = Array.from({ length: 10_050 }, (_, k) =>
      k < 10_020 ? `${k},2020-01-01,` : `${k + 0.5},soon,${k}`,
    );
    const result = await run('late.csv', `i,d,late\n${rows.join('\n')}\n`, 'csv', {
      sampled: true,
    });
    expect(result.typedBy).toBe('full-scan');
    expect(result.columns.map((c) => c.storageType)).toEqual(['DOUBLE', 'VARCHAR', 'BIGINT']);
    const typedUpfront = await run('late.csv', `i,d,late\n${rows.join('\n')}\n`);
    expect(typedUpfront.typedBy).toBe('upload-pass');
    expect(typedUpfront.columns).toEqual(result.columns);
    expect(typedUpfront.contentHash).toBe(result.contentHash);
    const empty = await run('empty-column.csv', 'a,b\n1,\n2,\n');
    expect(empty.columns.map((c) => c.storageType)).toEqual(['BIGINT', 'VARCHAR']);
  });

  it('should hash a table the same whatever its Parquet row groups', async () => {
    const columns = [
      { name: 'x', storageType: 'BIGINT' as const, semanticType: 'integer' as const },
    ];
    const hashes = await withConnection(db, async (connection) => {
      const out: string[] = [];
      for (const size of [1000, 122_880]) {
        const path = join(dir, `groups-${size}.parquet`);
        await connection.run(
          `COPY (SELECT range AS x FROM range(5000)) TO '${path}' (FORMAT parquet, ROW_GROUP_SIZE ${size})`,
        );
        out.push(await contentHash(connection, path, columns));
      }
      return out;
    });
    expect(hashes[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(hashes[1]).toBe(hashes[0]);
  });

  it('should hash the same table the same way whatever the file looks like', async () => {
    const a = await run('a.csv', 'x,y\n1,a\n2,\n');
    const b = await run('b.tsv', 'x\ty\n"1"\t"a"\n2\tNA\n', 'tsv');
    const c = await run('c.csv', 'x,y\n2,\n1,a\n');
    expect(a.contentHash).toBe(b.contentHash);
    expect(c.contentHash).not.toBe(a.contentHash); // row order is part of the content
    // The profile's scan and the stand-alone hash (transformations, reproduction) agree.
    const alone = await withConnection(db, (connection) =>
      contentHash(connection, join(dir, 'a.csv.parquet'), a.columns),
    );
    expect(alone).toBe(a.contentHash);
  });

  it('should read records longer than DuckDB’s default 2 MB line limit', async () => {
    const long = 'ab '.repeat(1_000_000); // 3 MB in one field
    const result = await run('long.csv', `id,text\n1,short\n2,${long}\n3,"quoted\n${long}"\n`);
    expect(result.rowCount).toBe(3);
    expect(result.profile.columns[1].stringLength).toMatchObject({ max: long.length + 7 });
  });

  it('should profile a table of 300 text columns within a small DuckDB memory limit', async () => {
    // Each exact distinct count holds its own hash tables; all 300 in one query ran this
    // 256 MB instance out of memory.
    const width = 300;
    const header = Array.from({ length: width }, (_, c) => `t${c}`).join(',');
    const rows = Array.from({ length: 500 }, (_, r) =>
      Array.from({ length: width }, (__, c) => `v${(r * (c + 1)) % (c + 2)}`).join(','),
    );
    const result = await run('wide-text.csv', `${header}\n${rows.join('\n')}\n`);
    expect(result.profile.columns).toHaveLength(width);
    for (const c of [0, 150, 299])
      expect(result.profile.columns[c]).toMatchObject({
        distinct: new Set(rows.map((row) => row.split(',')[c])).size,
        distinctExact: true,
      });
  });

  it('should fail a file too large for the memory limit as such, not as a passing fault', async () => {
    // One row group of 20,000 rows × 200 columns: DuckDB reads a row group whole.
    const path = join(dir, 'one-big-group.parquet');
    const columns = Array.from({ length: 200 }, (_, k) => `hash(i * ${k + 1}) AS c${k}`).join(', ');
    await withConnection(db, (connection) =>
      connection.run(
        `COPY (SELECT ${columns} FROM range(20000) t(i)) TO '${path}' (FORMAT parquet, ROW_GROUP_SIZE 1000000)`,
      ),
    );
    const small = await openDuckDb({ threads: 1, memoryLimit: '16MB', tempDirectory: dir });
    try {
      const structure = { format: 'parquet' as const, columns: [], byteCount: 0, sha256: '' };
      const processing = processLocalFile(small, {
        sourcePath: path,
        structure,
        parquetPath: `${path}.typed.parquet`,
        title: 'big',
      });
      await expect(processing).rejects.toMatchObject({
        code: 'dataset-too-large-for-memory',
        message: expect.stringMatching(/DATASET_DUCKDB_MEMORY.*smaller row groups/),
      });
    } finally {
      small.closeSync();
    }
  });

  it('should profile duplicates, constant columns and imbalance into alerts', async () => {
    const rows = Array.from(
      { length: 60 },
      (_, i) => `${i % 2 === 0 ? 1 : 1},${i < 57 ? 'a' : 'b'},${i % 3}`,
    );
    const result = await run('alerts.csv', `k,c,z\n${rows.join('\n')}\n`);
    const types = result.profile.alerts.map((a) => `${a.type}:${a.columns.join('+')}`);
    expect(types).toEqual(
      expect.arrayContaining(['constant:k', 'imbalance:c', 'duplicates:', 'zeros:z']),
    );
    expect(result.profile.duplicateRows).toBe(60 - 6);
    expect(result.html).toContain('<svg');
  });

  it('should flag categories spelt more than one way and text of one length', async () => {
    const cities = ['Oslo', 'oslo ', 'Bergen', ' OSLO', 'Tromsø', 'bergen', 'Bodø'];
    const rows = Array.from(
      { length: 70 },
      (_, i) =>
        `${cities[i % cities.length]},C${String(i % 20).padStart(4, '0')},${i % 2 ? 'x' : 'yy'}`,
    );
    const result = await run('spellings.csv', `city,code,tag\n${rows.join('\n')}\n`);
    const city = result.profile.columns[0];
    expect(city.semanticType).toBe('categorical');
    expect(city.spellingVariants).toEqual({
      groups: 2,
      examples: [
        ['Bergen', 'bergen'],
        [' OSLO', 'Oslo', 'oslo '],
      ],
    });
    const alerts = result.profile.alerts;
    expect(alerts).toContainEqual(
      expect.objectContaining({
        type: 'inconsistent-spelling',
        columns: ['city'],
        value: 2,
        message: expect.stringContaining('"Bergen" / "bergen"'),
      }),
    );
    expect(alerts).toContainEqual(
      expect.objectContaining({ type: 'constant-length', columns: ['code'], value: 5 }),
    );
    // Neither alert where it does not hold: tags of two lengths, one spelling each.
    const tag = alerts.filter((a) => a.columns.includes('tag')).map((a) => a.type);
    expect(tag).not.toContain('constant-length');
    expect(tag).not.toContain('inconsistent-spelling');
  });

  it('should count distinct values exactly on a table of 150,000 rows', async () => {
    // DuckDB's HyperLogLog sketch is ≈ 10 % off at this size: exact counts let an all-unique
    // text column be called one and give a repeating one its true count.
    const rows = Array.from(
      { length: 150_000 },
      (_, i) => `note ${i},word ${(i * 7919) % 123_457},${i % 1000}`,
    );
    const result = await run('wide.csv', `note,word,n\n${rows.join('\n')}\n`);
    const [note, word] = result.profile.columns;
    expect(note).toMatchObject({ distinct: 150_000, distinctExact: true });
    expect(word).toMatchObject({ distinct: new Set(rows.map((r) => r.split(',')[1])).size });
    const types = result.profile.alerts.map((a) => `${a.type}:${a.columns.join('+')}`);
    expect(types).toContain('unique:note');
    expect(types).not.toContain('unique:word');
  });
  it('should rank ties by their average position and compute Pearson and Cramér', () => {
    expect(Array.from(averageRanks(Float64Array.from([10, 20, 10, 30])))).toEqual([1.5, 3, 1.5, 4]);
    // Against the definition: below + (equal + 1) / 2, on values full of ties.
    const values = Float64Array.from({ length: 500 }, (_, k) => ((k * 7919) % 23) - 11);
    const naive = Array.from(values, (v) => {
      const below = values.filter((w) => w < v).length;
      const equal = values.filter((w) => w === v).length;
      return below + (equal + 1) / 2;
    });
    expect(Array.from(averageRanks(values))).toEqual(naive);
    expect(pearson(Float64Array.from([1, 2, 3]), Float64Array.from([2, 4, 6]))).toBeCloseTo(1, 12);
    const perfect = new Map([
      ['a', new Map([['x', 5]])],
      ['b', new Map([['y', 5]])],
    ]);
    expect(cramersV(perfect)).toBeCloseTo(1, 12);
  });

  it('should call near-unique short text an identifier and few values categorical', () => {
    expect(
      semanticOf('code', 'VARCHAR', { nonNull: 100, distinct: 100, meanLength: 8, withSpaces: 0 }),
    ).toBe('identifier');
    expect(
      semanticOf('city', 'VARCHAR', { nonNull: 100, distinct: 5, meanLength: 8, withSpaces: 0 }),
    ).toBe('categorical');
    expect(
      semanticOf('note', 'VARCHAR', {
        nonNull: 100,
        distinct: 100,
        meanLength: 80,
        withSpaces: 90,
      }),
    ).toBe('text');
    expect(
      semanticOf('user_id', 'BIGINT', {
        nonNull: 100,
        distinct: 100,
        meanLength: 0,
        withSpaces: 0,
      }),
    ).toBe('identifier');
    expect(
      semanticOf('age', 'BIGINT', { nonNull: 100, distinct: 100, meanLength: 0, withSpaces: 0 }),
    ).toBe('integer');
  });
});
