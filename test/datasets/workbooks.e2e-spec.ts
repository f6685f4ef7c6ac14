import { newUser, type TestUser } from '../support/factories';
import { xlsxWorkbook, zipWithoutWorkbook } from '../support/xlsx';
import { startDatasetsTestApp, type DatasetsTestApp } from './datasets-test-app';
import { type DatasetBody, uploadDataset, waitProcessed } from './datasets-factories';

/** The same table as CSV text, written by hand: the workbook must read as exactly this. */
const SAME_AS_CSV = [
  'id,name,score,ok,day,seen',
  '1,"Ann, ""A""",1.5,true,2024-01-02,2024-01-02 10:30:00',
  '2,,2.25,false,2024-02-03,2024-02-03 00:00:01',
  '3,Cy,-4,true,,2024-02-04 23:59:59',
].join('\n');

describe('datasets: Excel workbooks', () => {
  let app: DatasetsTestApp;
  let user: TestUser;

  beforeAll(async () => {
    // Small enough for the first test's workbook, too small for the large one below.
    app = await startDatasetsTestApp({ maxWorkbookBytes: 16 * 1024 });
    user = await newUser(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it('should read the first sheet of an .xlsx upload as the equivalent CSV', async () => {
    const workbook = xlsxWorkbook([
      ['id', 'name', 'score', 'ok', 'day', 'seen'],
      [
        1,
        'Ann, "A"',
        1.5,
        true,
        new Date(Date.UTC(2024, 0, 2)),
        new Date(Date.UTC(2024, 0, 2, 10, 30)),
      ],
      [
        2,
        null,
        2.25,
        false,
        new Date(Date.UTC(2024, 1, 3)),
        new Date(Date.UTC(2024, 1, 3, 0, 0, 1)),
      ],
      [3, 'Cy', -4, true, null, new Date(Date.UTC(2024, 1, 4, 23, 59, 59))],
    ]);
    const created = await uploadDataset(app, user, workbook, { fileName: 'people.xlsx' }).expect(
      201,
    );
    expect(created.body.currentVersion).toMatchObject({ format: 'xlsx' });
    const ready = await waitProcessed(app, user, created.body.id);
    expect(ready.status).toBe('ready');
    const schema = await app
      .http()
      .get(`/api/v1/datasets/${ready.id}/schema`)
      .set(user.auth)
      .expect(200);
    expect(schema.body.columns.map((c: { storageType: string }) => c.storageType)).toEqual([
      'BIGINT',
      'VARCHAR',
      'DOUBLE',
      'BOOLEAN',
      'DATE',
      'TIMESTAMP',
    ]);
    const rows = await app
      .http()
      .get(`/api/v1/datasets/${ready.id}/rows`)
      .set(user.auth)
      .expect(200);
    expect(rows.body.rows[0]).toEqual({
      id: 1,
      name: 'Ann, "A"',
      score: 1.5,
      ok: true,
      day: '2024-01-02',
      seen: '2024-01-02T10:30:00.000',
    });
    // The hand-written CSV of the same table is the same content.
    const csv = await uploadDataset(app, user, SAME_AS_CSV, { fileName: 'people.csv' }).expect(201);
    const csvReady: DatasetBody = await waitProcessed(app, user, csv.body.id);
    expect(csvReady.currentVersion.contentHash).toBe(ready.currentVersion.contentHash);
  });

  it('should reject a file named .xlsx that is no zip archive, keeping nothing', async () => {
    const objectsBefore = await app.objects(app.options.storagePrefix);
    const res = await uploadDataset(app, user, 'id,name\n1,a\n', { fileName: 'fake.xlsx' }).expect(
      400,
    );
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.type).toMatch(/dataset-invalid-workbook$/);
    expect(res.body.detail).toMatch(/zip archive/);
    const list = await app.http().get('/api/v1/datasets?name=fake').set(user.auth).expect(200);
    expect(list.body.page.total).toBe(0);
    expect(await app.objects(app.options.storagePrefix)).toEqual(objectsBefore);
  });

  it('should answer 413 for a workbook above its own limit, keeping nothing', async () => {
    const objectsBefore = await app.objects(app.options.storagePrefix);
    const rows = Array.from({ length: 2000 }, (_, k) => [k, `row ${k}`, k / 3]);
    const large = xlsxWorkbook([['id', 'label', 'third'], ...rows]);
    expect(large.length).toBeGreaterThan(16 * 1024);
    const res = await uploadDataset(app, user, large, { fileName: 'large.xlsx' }).expect(413);
    expect(res.body.detail).toMatch(/limit of 16384 bytes for Excel workbooks/);
    expect(await app.objects(app.options.storagePrefix)).toEqual(objectsBefore);
    // The same rows as CSV are within the general limit.
    const csv = ['id,label,third', ...rows.map((r) => r.join(','))].join('\n');
    await uploadDataset(app, user, csv, { fileName: 'large.csv' }).expect(201);
  });

  it('should fail processing with the reason when the archive holds no workbook or no header', async () => {
    const noWorkbook = await uploadDataset(app, user, zipWithoutWorkbook(), {
      fileName: 'archive.xlsx',
    }).expect(201);
    const failed = await waitProcessed(app, user, noWorkbook.body.id);
    expect(failed.status).toBe('failed');
    expect((failed as DatasetBody & { failureReason: string }).failureReason).toMatch(
      /workbook could not be read/,
    );
    const unnamed = await uploadDataset(
      app,
      user,
      xlsxWorkbook([
        ['a', null, 'c'],
        [1, 2, 3],
      ]),
      { fileName: 'unnamed.xlsx' },
    ).expect(201);
    const refused = await waitProcessed(app, user, unnamed.body.id);
    expect((refused as DatasetBody & { failureReason: string }).failureReason).toMatch(
      /Column 2 of the header .* has an empty name/,
    );
  });
});
