import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, readFileSync } from 'node:fs';
import { MongoClient, ObjectId } from 'mongodb';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { AuditService } from 'src/core/audit/audit.service';
import type { ColumnProfile, DatasetProfile } from 'src/modules/datasets/engine/profiler';
import { DatasetDependents } from 'src/modules/datasets/dataset-dependents';
import { newUser, signIn, type TestUser } from '../support/factories';
import { startDatasetsTestApp, type DatasetsTestApp } from './datasets-test-app';
import { newDataset, uploadDataset, waitProcessed } from './datasets-factories';

const MIXED = [
  'id,name,score,active,joined,seen_at,city',
  '1,Ann,1.5,true,2024-01-02,2024-01-02 10:00:00,Oslo',
  '2,Bob,,false,2024-02-03,2024-02-03T11:30:00,Oslo',
  '3,"Cé, Lee",3.25,yes,2024-03-04,2024-03-04 12:00:00,',
  '4,Dan,-2,no,NA,NA,Bergen',
].join('\n');

describe('datasets: lifecycle, access, rows, versions, deletion', () => {
  const adminEmail = 'datasets-admin@example.com';
  const adminPassword = 'admin password 123';
  let app: DatasetsTestApp;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    app = await startDatasetsTestApp(
      {},
      { ADMIN_EMAIL: adminEmail, ADMIN_PASSWORD: adminPassword },
    );
    [alice, bob] = await Promise.all([newUser(app), newUser(app)]);
  });
  afterAll(async () => {
    await app.close();
  });

  /** A GET whose body is read as bytes, whatever its content type says. */
  function getBytes(path: string, user: TestUser = alice) {
    return app
      .http()
      .get(path)
      .set(user.auth)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
  }

  /** A version's `source` as stored: what the upload pass learned of the file. */
  async function storedSource(versionId: string): Promise<Record<string, unknown> | undefined> {
    const client = await MongoClient.connect(app.config.mongo.uri);
    try {
      const version = await client
        .db()
        .collection('dataset_versions')
        .findOne({ _id: new ObjectId(versionId) });
      return version?.source as Record<string, unknown> | undefined;
    } finally {
      await client.close();
    }
  }

  it('should store an upload, type its columns and serve schema, rows and profile', async () => {
    const created = await uploadDataset(app, alice, MIXED, {
      fileName: 'people.csv',
      description: 'test people',
    }).expect(201);
    expect(created.body).toMatchObject({
      name: 'people',
      description: 'test people',
      status: 'processing',
      ownerId: alice.id,
    });
    expect(created.body.currentVersion).toMatchObject({
      number: 1,
      format: 'csv',
      delimiter: ',',
      encoding: 'utf-8',
      producedBy: 'upload',
    });
    // The upload pass typed every field; the worker reads the columns with those types.
    const source = await storedSource(created.body.currentVersion.id as string);
    expect(source?.lexicalTypes).toEqual([
      'BIGINT',
      'VARCHAR',
      'DOUBLE',
      'BOOLEAN',
      'DATE',
      'TIMESTAMP',
      'VARCHAR',
    ]);
    const ready = await waitProcessed(app, alice, created.body.id);
    expect(ready.status).toBe('ready');
    expect(ready.currentVersion).toMatchObject({
      rowCount: 4,
      columnCount: 7,
      contentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const schema = await app
      .http()
      .get(`/api/v1/datasets/${ready.id}/schema`)
      .set(alice.auth)
      .expect(200);
    expect(
      schema.body.columns.map((c: { name: string; storageType: string; semanticType: string }) => [
        c.name,
        c.storageType,
        c.semanticType,
      ]),
    ).toEqual([
      ['id', 'BIGINT', 'integer'],
      ['name', 'VARCHAR', 'categorical'],
      ['score', 'DOUBLE', 'float'],
      ['active', 'BOOLEAN', 'boolean'],
      ['joined', 'DATE', 'date'],
      ['seen_at', 'TIMESTAMP', 'datetime'],
      ['city', 'VARCHAR', 'categorical'],
    ]);
    const rows = await app
      .http()
      .get(`/api/v1/datasets/${ready.id}/rows?offset=1&limit=2`)
      .set(alice.auth)
      .expect(200);
    expect(rows.body.page).toEqual({ offset: 1, limit: 2, total: 4 });
    expect(rows.body.rows).toEqual([
      {
        id: 2,
        name: 'Bob',
        score: null,
        active: false,
        joined: '2024-02-03',
        seen_at: '2024-02-03T11:30:00.000',
        city: 'Oslo',
      },
      {
        id: 3,
        name: 'Cé, Lee',
        score: 3.25,
        active: true,
        joined: '2024-03-04',
        seen_at: '2024-03-04T12:00:00.000',
        city: null,
      },
    ]);
    const some = await app
      .http()
      .get(`/api/v1/datasets/${ready.id}/rows?columns=city,id&limit=1`)
      .set(alice.auth)
      .expect(200);
    expect(some.body.rows).toEqual([{ city: 'Oslo', id: 1 }]);
    const unknown = await app
      .http()
      .get(`/api/v1/datasets/${ready.id}/rows?columns=nope`)
      .set(alice.auth)
      .expect(400);
    expect(unknown.body.type).toMatch(/dataset-unknown-column$/);
    await app
      .http()
      .get(`/api/v1/datasets/${ready.id}/rows?limit=5000`)
      .set(alice.auth)
      .expect(400);
    const profile = await app
      .http()
      .get(`/api/v1/datasets/${ready.id}/profile`)
      .set(alice.auth)
      .expect(200);
    expect(profile.body).toMatchObject({ rowCount: 4, columnCount: 7, missingCells: 4 });
    const score = profile.body.columns.find((c: { name: string }) => c.name === 'score');
    expect(score).toMatchObject({ count: 3, missing: 1, min: -2, max: 3.25, negatives: 1 });
    // Dates as a time line: 2024-01-02 (a Tuesday) to 2024-03-04 spans ten ISO weeks, the
    // finest unit within 31 buckets; empty weeks are there with 0.
    const joined = profile.body.columns.find((c: { name: string }) => c.name === 'joined');
    expect(joined.timeHistogram.unit).toBe('week');
    expect(joined.timeHistogram.bins).toHaveLength(10);
    expect(joined.timeHistogram.bins.filter((b: { count: number }) => b.count > 0)).toEqual([
      { start: '2024-01-01', count: 1 },
      { start: '2024-01-29', count: 1 },
      { start: '2024-03-04', count: 1 },
    ]);
    const html = await app
      .http()
      .get(`/api/v1/datasets/${ready.id}/profile.html`)
      .set(alice.auth)
      .expect(200);
    expect(html.headers['content-type']).toMatch(/text\/html/);
    expect(html.text).toContain('<svg');
    expect(html.text).not.toMatch(/<script|src="http|href="http/);
    const versions = await app
      .http()
      .get(`/api/v1/datasets/${ready.id}/versions`)
      .set(alice.auth)
      .expect(200);
    expect(versions.body.items).toEqual([
      expect.objectContaining({
        number: 1,
        createdBy: alice.id,
        producedBy: 'upload',
        status: 'ready',
      }),
    ]);
  });

  it('should carry what the upload pass learned to the worker: decimal commas, UTC offsets, bare booleans, date orders, record length', async () => {
    const csv =
      'price;at;note;paid;sent;due\n1,5;2024-01-05T10:00:00+02:00;short;Yes;no ;31.12.2024\n' +
      '-2,25;2024-01-06T10:00:00Z;"a;b";false;TRUE;1.2.2025\n';
    const created = await uploadDataset(app, alice, csv, { fileName: 'euro.csv' }).expect(201);
    const source = await storedSource(created.body.currentVersion.id as string);
    expect(source).toMatchObject({
      lexicalTypes: ['DOUBLE', 'TIMESTAMP', 'VARCHAR', 'BOOLEAN', 'BOOLEAN', 'DATE'],
      decimalCommas: [true, false, false, false, false, false],
      utcOffsets: [false, true, false, false, false, false],
      bareBooleans: [false, false, false, true, false, false],
      dateOrders: [null, null, null, null, null, 'day-first'],
      longestRecordBytes: '1,5;2024-01-05T10:00:00+02:00;short;Yes;no ;31.12.2024\n'.length,
    });
    const ready = await waitProcessed(app, alice, created.body.id);
    expect(ready.status).toBe('ready');
    const rows = await app
      .http()
      .get(`/api/v1/datasets/${ready.id}/rows`)
      .set(alice.auth)
      .expect(200);
    expect(rows.body.rows).toEqual([
      {
        price: 1.5,
        at: '2024-01-05T08:00:00.000',
        note: 'short',
        paid: true,
        sent: false,
        due: '2024-12-31',
      },
      {
        price: -2.25,
        at: '2024-01-06T10:00:00.000',
        note: 'a;b',
        paid: false,
        sent: true,
        due: '2025-02-01',
      },
    ]);
  });

  it('should read Latin-1, UTF-8 with BOM, semicolons, tabs, JSON Lines and Parquet to the same content hash', async () => {
    const csv = 'city;n\nZürich;1\nSão Paulo;2\n';
    const latin = await newDataset(app, alice, Buffer.from(csv, 'latin1') as unknown as string, {
      fileName: 'latin.csv',
    });
    expect(latin.currentVersion).toMatchObject({ encoding: 'latin-1', delimiter: ';' });
    const bom = await newDataset(app, alice, `\ufeff${csv}`, { fileName: 'bom.csv' });
    expect(bom.currentVersion.encoding).toBe('utf-8-bom');
    const tsv = await newDataset(app, alice, csv.replace(/;/g, '\t'), { fileName: 'tabs.tsv' });
    const jsonl = await newDataset(
      app,
      alice,
      '{"city":"Zürich","n":1}\n{"city":"São Paulo","n":2}\n',
      { fileName: 'rows.jsonl' },
    );
    const dir = mkdtempSync(join(tmpdir(), 'pq-'));
    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    await connection.run(
      `COPY (SELECT * FROM (VALUES ('Zürich', 1::BIGINT), ('São Paulo', 2::BIGINT)) t(city, n)) TO '${join(dir, 'x.parquet')}' (FORMAT parquet)`,
    );
    connection.closeSync();
    const parquet = await newDataset(
      app,
      alice,
      readFileSync(join(dir, 'x.parquet')) as unknown as string,
      { fileName: 'x.parquet' },
    );
    const hashes = [latin, bom, tsv, jsonl, parquet].map((d) => d.currentVersion.contentHash);
    expect(new Set(hashes).size).toBe(1);
    const rows = await app
      .http()
      .get(`/api/v1/datasets/${latin.id}/rows`)
      .set(alice.auth)
      .expect(200);
    expect(rows.body.rows).toEqual([
      { city: 'Zürich', n: 1 },
      { city: 'São Paulo', n: 2 },
    ]);
    const again = await app
      .http()
      .get(`/api/v1/datasets/${parquet.id}`)
      .set(alice.auth)
      .expect(200);
    expect(again.body.duplicates).toEqual(
      expect.arrayContaining([expect.objectContaining({ datasetId: latin.id, match: 'content' })]),
    );
  });

  it('should report an identical re-upload as a duplicate at once', async () => {
    const first = await newDataset(app, alice, 'k,v\nx,1\n', { fileName: 'dup.csv' });
    const second = await uploadDataset(app, alice, 'k,v\nx,1\n', {
      fileName: 'dup-again.csv',
    }).expect(201);
    expect(second.body.duplicates).toEqual([
      { datasetId: first.id, name: 'dup', versionId: first.currentVersion.id, match: 'bytes' },
    ]);
    await waitProcessed(app, alice, second.body.id);
  });

  it('should flag and mask personal data in the profile', async () => {
    const lines = ['email,card,ip,amount'];
    const cards = [
      '4111 1111 1111 1111',
      '5500-0000-0000-0004',
      '4012888888881881',
      '378282246310005',
    ];
    for (let i = 0; i < 40; i += 1)
      lines.push(`user${i}@example.org,${cards[i % 4]},10.0.${i}.1,${i * 3}`);
    const d = await newDataset(app, alice, lines.join('\n'), { fileName: 'pii.csv' });
    const profile = await app
      .http()
      .get(`/api/v1/datasets/${d.id}/profile`)
      .set(alice.auth)
      .expect(200);
    const columns = (profile.body as DatasetProfile).columns;
    const byName = (name: string): ColumnProfile => columns.find((c) => c.name === name)!;
    expect(byName('email').pii).toMatchObject({ kind: 'email', share: 1 });
    expect(byName('card').pii).toMatchObject({ kind: 'card-number', share: 1 });
    expect(byName('ip').pii).toMatchObject({ kind: 'ip-address' });
    expect(byName('amount').pii).toBeUndefined();
    expect(byName('email').samples[0]).toBe('u***@example.org');
    expect(JSON.stringify(profile.body)).not.toContain('4111 1111 1111 1111');
    const alerts = profile.body.alerts.filter((a: { type: string }) => a.type === 'personal-data');
    expect(alerts.map((a: { columns: string[] }) => a.columns[0]).sort()).toEqual([
      'card',
      'email',
      'ip',
    ]);
  });

  it('should list with paging, name filter and sort, and rename or describe', async () => {
    const user = await newUser(app);
    for (const name of ['beta', 'alpha', 'gamma'])
      await newDataset(app, user, 'a\n1\n', { fileName: `${name}.csv` });
    const sorted = await app
      .http()
      .get('/api/v1/datasets?sort=name&limit=2')
      .set(user.auth)
      .expect(200);
    expect(sorted.body.items.map((d: { name: string }) => d.name)).toEqual(['alpha', 'beta']);
    expect(sorted.body.page).toEqual({ offset: 0, limit: 2, total: 3 });
    const filtered = await app.http().get('/api/v1/datasets?name=AMM').set(user.auth).expect(200);
    expect(filtered.body.items.map((d: { name: string }) => d.name)).toEqual(['gamma']);
    await app.http().get('/api/v1/datasets?sort=size').set(user.auth).expect(400);
    const id = filtered.body.items[0].id;
    const renamed = await app
      .http()
      .patch(`/api/v1/datasets/${id}`)
      .set(user.auth)
      .send({ name: 'delta', description: 'd' })
      .expect(200);
    expect(renamed.body).toMatchObject({ name: 'delta', description: 'd' });
    const cleared = await app
      .http()
      .patch(`/api/v1/datasets/${id}`)
      .set(user.auth)
      .send({ description: null })
      .expect(200);
    expect(cleared.body.description).toBeUndefined();
    await app
      .http()
      .patch(`/api/v1/datasets/${id}`)
      .set(user.auth)
      .send({ ownerId: 'x' })
      .expect(400);
  });

  it("should hide other users' datasets (404) and show everything to admins", async () => {
    const d = await newDataset(app, alice, 'a\n1\n', { fileName: 'private.csv' });
    for (const path of ['', '/rows', '/schema', '/profile', '/profile.html', '/versions']) {
      const res = await app.http().get(`/api/v1/datasets/${d.id}${path}`).set(bob.auth).expect(404);
      expect(res.body.type).toMatch(/not-found$/);
    }
    await app
      .http()
      .patch(`/api/v1/datasets/${d.id}`)
      .set(bob.auth)
      .send({ name: 'mine' })
      .expect(404);
    await app.http().delete(`/api/v1/datasets/${d.id}`).set(bob.auth).expect(404);
    await app.http().get('/api/v1/datasets/not-an-id').set(alice.auth).expect(404);
    const bobList = await app.http().get('/api/v1/datasets').set(bob.auth).expect(200);
    expect(bobList.body.items.map((x: { id: string }) => x.id)).not.toContain(d.id);
    const admin = await signIn(app, adminEmail, adminPassword);
    await app.http().get(`/api/v1/datasets/${d.id}/rows`).set(admin.auth).expect(200);
    const all = await app.http().get('/api/v1/datasets?limit=100').set(admin.auth).expect(200);
    expect(all.body.items.map((x: { id: string }) => x.id)).toContain(d.id);
  });

  it('should version a dataset and refuse to delete a version others derive from', async () => {
    const d = await newDataset(app, alice, 'a\n1\n', { fileName: 'versioned.csv' });
    const v1 = d.currentVersion.id;
    const res = await app
      .http()
      .post(`/api/v1/datasets/${d.id}/versions`)
      .set(alice.auth)
      .attach('file', Buffer.from('a\n1\n2\n'), 'v2.csv')
      .expect(201);
    expect(res.body.currentVersion).toMatchObject({ number: 2, parentVersionId: v1 });
    await waitProcessed(app, alice, d.id);
    const versions = await app
      .http()
      .get(`/api/v1/datasets/${d.id}/versions`)
      .set(alice.auth)
      .expect(200);
    expect(versions.body.items.map((v: { number: number }) => v.number)).toEqual([2, 1]);
    const conflict = await app
      .http()
      .delete(`/api/v1/datasets/${d.id}/versions/${v1}`)
      .set(alice.auth)
      .expect(409);
    expect(conflict.body.dependents).toEqual([
      expect.objectContaining({ kind: 'dataset-version', id: res.body.currentVersion.id }),
    ]);
    const rows = await app.http().get(`/api/v1/datasets/${d.id}/rows`).set(alice.auth).expect(200);
    expect(rows.body.page.total).toBe(2);
  });

  it('should read any version by number: schema, rows, profile and report', async () => {
    const d = await newDataset(app, alice, 'a,b\n1,x\n', { fileName: 'history.csv' });
    const v1 = d.currentVersion.id;
    await app
      .http()
      .post(`/api/v1/datasets/${d.id}/versions`)
      .set(alice.auth)
      .attach('file', Buffer.from('a,b\n1,x\n2,y\n3,y\n'), 'v2.csv')
      .expect(201);
    await waitProcessed(app, alice, d.id);
    const get = (path: string, user = alice) =>
      app.http().get(`/api/v1/datasets/${d.id}${path}`).set(user.auth);

    const schema = await get('/schema?version=1').expect(200);
    expect(schema.body.versionId).toBe(v1);
    const [old, current] = await Promise.all([get('/rows?version=1'), get('/rows')]);
    expect([old.body.page.total, current.body.page.total]).toEqual([1, 3]);
    expect(old.body.rows).toEqual([{ a: 1, b: 'x' }]);
    const profiles = await Promise.all([get('/profile?version=1'), get('/profile?version=2')]);
    expect(profiles.map((p) => (p.body as { rowCount: number }).rowCount)).toEqual([1, 3]);
    expect(profiles[0].body.story[0]).toBe('1 row and 2 columns (1 integer and 1 categorical).');
    const report = await get('/profile.html?version=1').expect(200);
    expect(report.text).toContain('1 row and 2 columns');

    const missing = await get('/profile?version=3').expect(404);
    expect(missing.body).toMatchObject({ type: expect.stringMatching(/not-found$/) });
    expect(missing.body.detail).toContain(`${d.id} v3`);
    for (const bad of ['0', '1.5', 'latest']) {
      const res = await get(`/rows?version=${bad}`).expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(JSON.stringify(res.body)).toContain('version');
    }
    await get('/profile?version=1', bob).expect(404);
  });

  it('should take gzip-compressed CSV and JSON Lines as the text they hold, and give the compressed file back', async () => {
    const csv = 'city;n\nZürich;1\nSão Paulo;2\n';
    const plain = await newDataset(app, alice, csv, { fileName: 'cities.csv' });
    const gz = gzipSync(csv);
    const named = await newDataset(app, alice, gz as unknown as string, {
      fileName: 'cities.csv.gz',
    });
    // Told by its first bytes too, whatever the name says.
    const sniffed = await newDataset(app, alice, gz as unknown as string, {
      fileName: 'export.csv',
    });
    const jsonl = await newDataset(
      app,
      alice,
      gzipSync('{"city":"Zürich","n":1}\n{"city":"São Paulo","n":2}\n') as unknown as string,
      { fileName: 'rows.ndjson.gz' },
    );
    for (const d of [named, sniffed, jsonl]) {
      expect(d.status).toBe('ready');
      expect(d.currentVersion.contentHash).toBe(plain.currentVersion.contentHash);
      expect(d.currentVersion).toMatchObject({ compression: 'gzip' });
    }
    expect(named.currentVersion).toMatchObject({
      format: 'csv',
      delimiter: ';',
      sourceBytes: gz.length,
      uncompressedBytes: Buffer.byteLength(csv),
    });
    expect(plain.currentVersion).not.toHaveProperty('compression');
    expect(jsonl.currentVersion).toMatchObject({ format: 'jsonl' });
    const original = await getBytes(
      `/api/v1/datasets/${sniffed.id}/download?format=original`,
    ).expect(200);
    expect(original.body as Buffer).toEqual(gz);
    expect(original.headers['content-type']).toBe('application/gzip');
    expect(original.headers['content-disposition']).toContain('export-v1.csv.gz');
  });

  it('should count uploads by outcome, bytes received and cache reads on /metrics', async () => {
    const metric = async (series: string): Promise<number> => {
      const text = (await app.http().get('/metrics').expect(200)).text;
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line ? Number(line.slice(series.length + 1)) : 0;
    };
    const stored = 'narrativeml_dataset_uploads_total{outcome="stored"}';
    const ragged = 'narrativeml_dataset_uploads_total{outcome="dataset-ragged-rows"}';
    const gzipBytes = 'narrativeml_dataset_upload_bytes_total{compression="gzip"}';
    const hits = 'narrativeml_dataset_cache_reads_total{result="hit"}';
    const misses = 'narrativeml_dataset_cache_reads_total{result="miss"}';
    const before = await Promise.all([stored, ragged, gzipBytes, hits, misses].map(metric));

    const gz = gzipSync('a,b\n1,2\n3,4\n');
    const d = await newDataset(app, alice, gz as unknown as string, { fileName: 'counted.csv.gz' });
    await uploadDataset(app, alice, 'a,b\n1\n', { fileName: 'ragged.csv' }).expect(400);
    for (let i = 0; i < 2; i += 1)
      await app.http().get(`/api/v1/datasets/${d.id}/rows`).set(alice.auth).expect(200);

    const after = await Promise.all([stored, ragged, gzipBytes, hits, misses].map(metric));
    expect(after.map((value, i) => value - before[i])).toEqual([1, 1, gz.length, 1, 1]);
    const text = (await app.http().get('/metrics').expect(200)).text;
    expect(text).toMatch(/^narrativeml_dataset_cache_bytes [1-9]\d*$/m);
    expect(text).not.toContain(d.id);
  });

  it('should download a version as CSV, as Parquet and as the file uploaded', async () => {
    const uploaded = 'n,name,when\n1,"Lee, Ann",2024-01-02\n2,,2024-02-03\n3,Bob,\n';
    const d = await newDataset(app, alice, uploaded, { fileName: 'café.csv' });
    expect(d.name).toBe('café'); // the multipart file name read as UTF-8
    const download = (query: string) => getBytes(`/api/v1/datasets/${d.id}/download${query}`);

    const csv = await download('').expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe(
      `attachment; filename="caf_-v1.csv"; filename*=UTF-8''caf%C3%A9-v1.csv`,
    );
    expect((csv.body as Buffer).toString('utf8')).toBe(
      'n,name,when\n1,"Lee, Ann",2024-01-02\n2,,2024-02-03\n3,Bob,\n',
    );

    const parquet = await download('?format=parquet').expect(200);
    const bytes = parquet.body as Buffer;
    expect(bytes.subarray(0, 4).toString()).toBe('PAR1');
    expect(bytes.subarray(bytes.length - 4).toString()).toBe('PAR1');
    expect(parquet.headers['content-disposition']).toContain('-v1.parquet');

    const original = await download('?format=original').expect(200);
    expect((original.body as Buffer).toString('utf8')).toBe(uploaded);
    expect(original.headers['content-type']).toMatch(/^text\/csv/);

    const bad = await app
      .http()
      .get(`/api/v1/datasets/${d.id}/download?format=xml`)
      .set(alice.auth)
      .expect(400);
    expect(JSON.stringify(bad.body)).toContain('format');
    await app.http().get(`/api/v1/datasets/${d.id}/download?version=2`).set(alice.auth).expect(404);
    await app.http().get(`/api/v1/datasets/${d.id}/download`).set(bob.auth).expect(404);
  });

  it('should delete a dataset with its objects, answer 409 while something depends on it, and audit it', async () => {
    const d = await newDataset(app, alice, 'a\n1\n', { fileName: 'doomed.csv' });
    await app.http().get(`/api/v1/datasets/${d.id}/rows`).set(alice.auth).expect(200);
    const prefix = `${app.options.storagePrefix}${d.id}/`;
    expect((await app.objects(prefix)).length).toBe(4);
    let blocked = true;
    app.app
      .get(DatasetDependents)
      .register(async (datasetId) =>
        blocked && datasetId === d.id ? [{ kind: 'model', id: 'm1', name: 'churn model' }] : [],
      );
    const conflict = await app
      .http()
      .delete(`/api/v1/datasets/${d.id}`)
      .set(alice.auth)
      .expect(409);
    expect(conflict.body.detail).toMatch(/model churn model/);
    expect(conflict.body.dependents).toEqual([{ kind: 'model', id: 'm1', name: 'churn model' }]);
    blocked = false;
    await app.http().delete(`/api/v1/datasets/${d.id}`).set(alice.auth).expect(204);
    expect(await app.objects(prefix)).toEqual([]);
    await app.http().get(`/api/v1/datasets/${d.id}`).set(alice.auth).expect(404);
    await app.http().delete(`/api/v1/datasets/${d.id}`).set(alice.auth).expect(404);
    const audit = await app.app.get(AuditService).list(alice.id, 0, 10, 'dataset.delete');
    expect(audit.items).toEqual([
      expect.objectContaining({ action: 'dataset.delete', target: d.id }),
    ]);
  });
});
