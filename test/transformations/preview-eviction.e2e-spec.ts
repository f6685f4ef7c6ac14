import { newUser, type TestUser } from '../support/factories';
import { newDataset } from '../datasets/datasets-factories';
import { startDatasetsTestApp, type DatasetsTestApp } from '../datasets/datasets-test-app';
import { peopleCsv } from './transformations-factories';

const STEPS = [
  { op: 'impute', params: { columns: ['age'], strategy: 'median' } },
  { op: 'filter', params: { expression: 'age >= 25' } },
  { op: 'scale', params: { columns: ['income'], method: 'standard' } },
  { op: 'encode', params: { columns: ['city'], method: 'onehot' } },
  { op: 'clip', params: { columns: ['income'], method: 'iqr' } },
  { op: 'date_parts', params: { columns: ['joined'], parts: ['year', 'month'] } },
];

describe('previews while samples are evicted under them', () => {
  let app: DatasetsTestApp;
  let alice: TestUser;
  const datasets: string[] = [];

  beforeAll(async () => {
    // One cached sample: every preview of the other dataset evicts the one a preview may be using.
    app = await startDatasetsTestApp({}, { TRANSFORM_PREVIEW_CACHED_VERSIONS: '1' });
    alice = await newUser(app);
    for (const seed of [1, 2, 3]) {
      const csv = peopleCsv(300, seed).csv;
      datasets.push((await newDataset(app, alice, csv, { fileName: `p${seed}.csv` })).id);
    }
  });
  afterAll(async () => {
    await app.close();
  });

  it('should answer every preview with the same result as alone', async () => {
    const alone = new Map<string, unknown>();
    for (const id of datasets) {
      const res = await app
        .http()
        .post('/api/v1/transformations/preview')
        .set(alice.auth)
        .send({ datasetId: id, steps: STEPS, limit: 5 })
        .expect(200);
      alone.set(id, { steps: res.body.steps, rows: res.body.rows });
    }
    const calls = Array.from({ length: 24 }, (_, i) => datasets[i % datasets.length]);
    const answers = await Promise.all(
      calls.map((id, i) =>
        app
          .http()
          .post('/api/v1/transformations/preview')
          .set(alice.auth)
          // a different step each time, so nothing comes from the result cache
          .send({
            datasetId: id,
            steps: [...STEPS, { op: 'derive', params: { name: `z${i}`, expression: 'age * 2' } }],
            limit: 5,
          }),
      ),
    );
    answers.forEach((res, i) => {
      expect({ status: res.status, body: res.status === 200 ? 'ok' : res.body }).toEqual({
        status: 200,
        body: 'ok',
      });
      const expected = alone.get(calls[i]) as { steps: unknown[]; rows: Record<string, unknown>[] };
      expect(res.body.steps.slice(0, STEPS.length)).toEqual(expected.steps);
      expect(
        (res.body.rows as Record<string, unknown>[]).map(({ [`z${i}`]: _z, ...rest }) => rest),
      ).toEqual(expected.rows);
    });
  });
});
