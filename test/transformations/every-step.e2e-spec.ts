import { type FittedPipeline, type Row, transformRows } from 'src/modules/transformations/engine';
import { newUser, type TestUser } from '../support/factories';
import { newDataset } from '../datasets/datasets-factories';
import { startDatasetsTestApp, type DatasetsTestApp } from '../datasets/datasets-test-app';
import { allRows, status, waitRun } from './transformations-factories';

/** 80 rows with duplicates, missing values, a mostly-empty column and numbers stored as text. */
function table(): string {
  const lines = ['id,age,income,city,joined,note,score_text,code,mostly_empty,paid'];
  for (let i = 1; i <= 78; i++) {
    const age = i % 9 === 0 ? '' : String(15 + ((i * 7) % 50));
    const income = ((i * 1337) % 9000) + 100.25;
    const city = ['Oslo', 'Bergen', 'Tromsø', 'Bodø'][i % 4];
    const joined = `2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 27)).padStart(2, '0')}`;
    const note = i % 5 === 0 ? '' : `Note ${i % 7} ABC`;
    const score = i % 6 === 0 ? 'abc' : i % 11 === 0 ? '' : String((i % 13) / 4);
    const empty = i === 3 ? 'x' : '';
    // Day and month both 12 or less: the upload cannot tell their order and keeps the text.
    const paid = `${1 + (i % 12)}/${1 + ((i * 5) % 12)}/2024`;
    lines.push(
      `${i},${age},${income},${city},${joined},${note},${score},C${i % 3},${empty},${paid}`,
    );
  }
  lines.push(lines[5], lines[9]); // two exact duplicate rows
  return lines.join('\n');
}

const EVERY_STEP = [
  { op: 'rename', params: { mapping: { income: 'revenue' } } },
  { op: 'cast', params: { columns: ['score_text'], to: 'float' } },
  { op: 'deduplicate', params: {} },
  { op: 'drop_missing', params: { mode: 'column_threshold', threshold: 0.9 } },
  { op: 'cast', params: { columns: ['code'], to: 'integer' } }, // 'C1' is no integer: all missing
  { op: 'impute', params: { columns: ['age'], strategy: 'median' } },
  { op: 'impute', params: { columns: ['score_text'], strategy: 'ffill' } },
  { op: 'filter', params: { expression: 'age >= 20 and city != "Bodø"' } },
  { op: 'math', params: { columns: ['revenue'], fn: 'log', log1p: true } },
  { op: 'clip', params: { columns: ['age'], method: 'iqr' } },
  { op: 'scale', params: { columns: ['revenue'], method: 'minmax' } },
  { op: 'derive', params: { name: 'ratio', expression: 'revenue * 2 + age / 10' } },
  { op: 'bin', params: { columns: ['age'], strategy: 'equal_frequency', nBins: 3 } },
  { op: 'encode', params: { columns: ['city'], method: 'ordinal' } },
  { op: 'date_parts', params: { columns: ['joined'], parts: ['year', 'month', 'day_of_week'] } },
  { op: 'text', params: { columns: ['note'], action: 'lower' } },
  { op: 'cast', params: { columns: ['paid'], to: 'date', dateOrder: 'day-first' } },
  { op: 'drop', params: { columns: ['id'] } },
  { op: 'drop_missing', params: { mode: 'rows', columns: ['note'] } },
  {
    op: 'select',
    params: {
      columns: [
        'ratio',
        'age',
        'revenue',
        'city',
        'joined_year',
        'joined_month',
        'joined_day_of_week',
        'note',
        'score_text',
        'code',
        'joined',
        'paid',
      ],
    },
  },
];

function closeEnough(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number')
    return a === b || Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b));
  return a === b;
}

describe('transformations: every step type through the API and the worker', () => {
  let app: DatasetsTestApp;
  let alice: TestUser;
  let datasetId: string;
  let original: Row[];

  beforeAll(async () => {
    app = await startDatasetsTestApp();
    alice = await newUser(app);
    datasetId = (await newDataset(app, alice, table(), { fileName: 'every.csv' })).id;
    original = (await allRows(app, alice, datasetId)) as Row[];
  });
  afterAll(async () => {
    await app.close();
  });

  it('should preview every step with the warnings it causes', async () => {
    const res = await app
      .http()
      .post('/api/v1/transformations/preview')
      .set(alice.auth)
      .send({ datasetId, steps: EVERY_STEP })
      .expect(status(200));
    expect(res.body.steps).toHaveLength(EVERY_STEP.length);
    expect(res.body.steps[2].rows).toBe(78); // duplicates gone
    expect(res.body.steps[3].schema.map((c: { name: string }) => c.name)).not.toContain(
      'mostly_empty',
    );
    const codes = (res.body.warnings as { code: string }[]).map((w) => w.code);
    expect(codes).toEqual(
      expect.arrayContaining(['rows_lost', 'columns_lost', 'column_all_missing']),
    );
    expect(res.body.columns.map((c: { name: string }) => c.name)).toEqual(
      EVERY_STEP[EVERY_STEP.length - 1].params.columns,
    );
    // The text the upload kept becomes dates once the cast names the order.
    expect(typeof original[0].paid).toBe('string');
    const paid = (res.body.columns as { name: string; storageType: string }[]).find(
      (c) => c.name === 'paid',
    );
    expect(paid?.storageType).toBe('DATE');
    expect(res.body.rows.length).toBeGreaterThan(10);
    expect(
      (res.body.rows as { paid: unknown }[]).every((row) => /^2024-/.test(String(row.paid))),
    ).toBe(true);
  });

  it('should write the same rows in the worker (DuckDB) as the TypeScript path computes', async () => {
    const started = await app
      .http()
      .post('/api/v1/transformations/apply')
      .set(alice.auth)
      .send({ datasetId, steps: EVERY_STEP })
      .expect(status(202));
    const run = await waitRun(app, alice, started.body.id as string);
    expect({ state: run.state, reason: run.failureReason }).toEqual({
      state: 'ready',
      reason: undefined,
    });
    const detail = await app
      .http()
      .get(`/api/v1/transformations/runs/${run.id}`)
      .set(alice.auth)
      .expect(200);
    const fitted = detail.body.fitted as FittedPipeline;
    expect(fitted.steps).toHaveLength(EVERY_STEP.length);
    // The worker counts differently (rows before writing, missing values while hashing the
    // written file) but must report what the preview of the same rows reports.
    const preview = await app
      .http()
      .post('/api/v1/transformations/preview')
      .set(alice.auth)
      .send({ datasetId, version: detail.body.parentVersion, steps: EVERY_STEP })
      .expect(status(200));
    expect(detail.body.warnings).toEqual(preview.body.warnings);
    expect(detail.body.warnings.length).toBeGreaterThan(0);
    const expected = transformRows(fitted, original);
    const actual = await allRows(app, alice, datasetId);
    expect(actual.length).toBe(expected.length);
    expect(actual.length).toBeGreaterThan(20);
    const mismatches = actual.flatMap((row, i) =>
      Object.keys(expected[i])
        .filter((name) => !closeEnough(row[name], expected[i][name]))
        .map((name) => ({ row: i, name, api: row[name], typescript: expected[i][name] })),
    );
    expect(mismatches).toEqual([]);
    expect(Object.keys(actual[0])).toEqual(Object.keys(expected[0]));
  });
});
