import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { newUser, type TestUser } from '../support/factories';
import { startDatasetsTestApp, type DatasetsTestApp } from './datasets-test-app';
import { uploadDataset } from './datasets-factories';

/** Every rejected upload must answer a clear problem and leave no metadata and no object. */
describe('datasets: upload validation leaves nothing behind', () => {
  let app: DatasetsTestApp;
  let user: TestUser;

  beforeAll(async () => {
    app = await startDatasetsTestApp({
      maxUploadBytes: 64 * 1024,
      maxUncompressedBytes: 256 * 1024,
    });
    user = await newUser(app);
  });
  afterAll(async () => {
    await app.close();
  });

  async function expectNothingStored(): Promise<void> {
    const list = await app.http().get('/api/v1/datasets').set(user.auth).expect(200);
    expect(list.body.page.total).toBe(0);
    expect(await app.objects(app.options.storagePrefix)).toEqual([]);
  }

  const ragged = 'a,b,c\n1,2,3\n4,5\n6,7,8\n9,10,11,12\n';
  it.each<[string, string | Buffer, string, string, RegExp]>([
    ['an empty file', '', 'empty.csv', 'dataset-empty-file', /no content/],
    ['a file of blank lines', '\n\n  \n', 'blank.csv', 'dataset-empty-file', /no content/],
    ['a header without rows', 'a,b,c\n', 'header.csv', 'dataset-header-only', /no data rows/],
    [
      'binary content',
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x01, 0x02]),
      'zip.csv',
      'dataset-binary-content',
      /NUL byte at offset 4/,
    ],
    [
      'ragged rows',
      ragged,
      'ragged.csv',
      'dataset-ragged-rows',
      /2 row\(s\).*line 3 has 2 fields, line 5 has 4 fields/,
    ],
    [
      'an unterminated quote',
      'a,b\n1,"open\n2,3\n',
      'quote.csv',
      'dataset-unterminated-quote',
      /line 2/,
    ],
    [
      'duplicate column names',
      'id,Name,name\n1,2,3\n',
      'dup.csv',
      'dataset-duplicate-column-name',
      /name/,
    ],
    [
      'a column named like the row numbers',
      'a,FILE_ROW_NUMBER\n1,2\n',
      'reserved.csv',
      'dataset-reserved-column-name',
      /FILE_ROW_NUMBER" is reserved/,
    ],
    [
      'an empty column name',
      'a,,c\n1,2,3\n',
      'emptyname.csv',
      'dataset-empty-column-name',
      /Column 2/,
    ],
    [
      'numbers instead of a header',
      '1,2,3\n4,5,6\n',
      'nohead.csv',
      'dataset-missing-header',
      /Line 1 holds only numbers/,
    ],
    [
      'UTF-16 text',
      Buffer.from('\ufeffa,b\n1,2\n', 'utf16le'),
      'u16.csv',
      'dataset-unsupported-encoding',
      /UTF-16/,
    ],
    [
      'a bad JSON line',
      '{"a":1}\n[1,2]\n{"a":\n',
      'bad.jsonl',
      'dataset-invalid-json-line',
      /line 2 is not a JSON object, line 3 is not valid JSON/,
    ],
    [
      'a fake Parquet file',
      'PAR1 not really',
      'fake.parquet',
      'dataset-invalid-parquet',
      /magic bytes/,
    ],
    ['an unknown extension', 'a,b\n1,2\n', 'data.xyz', 'dataset-unsupported-format', /data\.xyz/],
    [
      'gzip cut short',
      gzipSync('a,b\n1,2\n'.repeat(100)).subarray(0, 30),
      'cut.csv.gz',
      'dataset-invalid-compression',
      /damaged or cut short/,
    ],
    [
      'plain text named .gz',
      'a,b\n1,2\n',
      'plain.csv.gz',
      'dataset-invalid-compression',
      /named \.gz but is not gzip-compressed/,
    ],
    [
      'ragged rows inside gzip',
      gzipSync(ragged),
      'ragged.csv.gz',
      'dataset-ragged-rows',
      /line 3 has 2 fields, line 5 has 4 fields/,
    ],
    [
      'gzip-compressed Parquet',
      gzipSync('PAR1 not really'),
      'x.parquet',
      'dataset-invalid-compression',
      /only CSV, TSV and JSON Lines/,
    ],
  ])('should reject %s', async (_label, content, fileName, type, detail) => {
    const res = await uploadDataset(app, user, content, { fileName }).expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.type).toMatch(new RegExp(`${type}$`));
    expect(res.body.detail).toMatch(detail);
    await expectNothingStored();
  });

  it('should report the first bad line numbers as data', async () => {
    const res = await uploadDataset(app, user, ragged).expect(400);
    expect(res.body.badLineCount).toBe(2);
    expect(res.body.badLines).toEqual([
      { line: 3, expected: 3, found: 2 },
      { line: 5, expected: 3, found: 4 },
    ]);
  });

  it('should answer 413 above the size limit, mid-stream, and keep nothing', async () => {
    const big = `a,b\n${'123456,abcdef\n'.repeat(6_000)}`;
    const res = await uploadDataset(app, user, big).expect(413);
    expect(res.body.type).toMatch(/dataset-too-large$/);
    expect(res.body.limitBytes).toBe(64 * 1024);
    await expectNothingStored();
  });

  it('should answer 413 when gzip-compressed text inflates past its limit, and keep nothing', async () => {
    const bomb = gzipSync(`a,b\n${'123456,abcdef\n'.repeat(100_000)}`);
    expect(bomb.length).toBeLessThan(64 * 1024); // within the upload limit as sent
    const res = await uploadDataset(app, user, bomb, { fileName: 'bomb.csv.gz' }).expect(413);
    expect(res.body.type).toMatch(/dataset-too-large$/);
    expect(res.body.limitUncompressedBytes).toBe(256 * 1024);
    await expectNothingStored();
  });

  it('should reject a request that is not multipart, one without a file, and unknown fields', async () => {
    const json = await app
      .http()
      .post('/api/v1/datasets')
      .set(user.auth)
      .send({ a: 1 })
      .expect(400);
    expect(json.body.type).toMatch(/dataset-not-multipart$/);
    const noFile = await app
      .http()
      .post('/api/v1/datasets')
      .set(user.auth)
      .field('name', 'x')
      .expect(400);
    expect(noFile.body.type).toMatch(/dataset-missing-file$/);
    const unknown = await app
      .http()
      .post('/api/v1/datasets')
      .set(user.auth)
      .field('owner', 'someone')
      .attach('file', Buffer.from('a\n1\n'), 'a.csv')
      .expect(400);
    expect(unknown.body.type).toMatch(/dataset-unknown-field$/);
    const badName = await uploadDataset(app, user, 'a\n1\n', { name: ' ' }).expect(400);
    expect(badName.body.errors).toEqual([expect.objectContaining({ field: 'name' })]);
    await expectNothingStored();
  });

  it.each([
    ['plain', 'cut.csv', Buffer.from('a,b\n' + '1,2\n'.repeat(2000))],
    ['gzip-compressed', 'cut.csv.gz', gzipSync('a,b\n' + '1,2\n'.repeat(20_000)).subarray(0, 300)],
  ])(
    'should leave nothing behind when the client disconnects mid-upload (%s)',
    async (_label, name, part) => {
      const boundary = 'xBOUNDARYx';
      const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n`;
      await new Promise<void>((resolve) => {
        const req = httpRequest(`${app.url}/api/v1/datasets`, {
          method: 'POST',
          headers: {
            ...user.auth,
            'Content-Type': `multipart/form-data; boundary=${boundary}`,
            'Content-Length': 50_000,
          },
        });
        req.on('error', () => resolve());
        req.write(Buffer.concat([Buffer.from(head), part]));
        setTimeout(() => {
          req.destroy();
          resolve();
        }, 300);
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      await expectNothingStored();
    },
  );
});
