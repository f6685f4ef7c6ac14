import { gzipSync } from 'node:zlib';
import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { MongoClient, ObjectId } from 'mongodb';
import { newUser, type TestUser } from '../support/factories';
import { waitFor } from '../support/worker-process';
import { newDataset } from '../datasets/datasets-factories';
import { startDatasetsTestApp, type DatasetsTestApp } from '../datasets/datasets-test-app';
import { allRows, peopleCsv, type RunBody, waitRun } from './transformations-factories';

const PEOPLE = peopleCsv(60);

/** The pipeline most tests use: impute, filter, scale, drop, in that order. */
const PIPELINE = [
  { op: 'impute', params: { columns: ['age'], strategy: 'median' } },
  { op: 'filter', params: { expression: 'age >= 30' } },
  { op: 'scale', params: { columns: ['income'], method: 'standard' } },
  { op: 'drop', params: { columns: ['id'] } },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return Number.isInteger(mid) ? (sorted[mid - 1] + sorted[mid]) / 2 : sorted[Math.floor(mid)];
}

/** Rows PIPELINE keeps, computed here independently of the engine. */
const KEPT = (() => {
  const fill = median(PEOPLE.rows.flatMap((p) => (p.age === null ? [] : [p.age])));
  return PEOPLE.rows.filter((p) => (p.age ?? fill) >= 30);
})();

describe('transformations: validate, preview, apply, lineage, reproduce', () => {
  let app: DatasetsTestApp;
  let alice: TestUser;
  let bob: TestUser;
  let datasetId: string;

  beforeAll(async () => {
    app = await startDatasetsTestApp({}, { TRANSFORM_PREVIEW_SAMPLE_ROWS: '200' });
    [alice, bob] = await Promise.all([newUser(app), newUser(app)]);
    // Uploaded gzip-compressed: reproducing a version later inflates the original file again.
    const gzipped = gzipSync(PEOPLE.csv) as unknown as string;
    datasetId = (await newDataset(app, alice, gzipped, { fileName: 'people.csv.gz' })).id;
  });
  afterAll(async () => {
    await app.close();
  });

  it('should name the step and field of every validation error', async () => {
    const res = await app
      .http()
      .post('/api/v1/transformations/validate')
      .set(alice.auth)
      .send({
        datasetId,
        steps: [
          { op: 'drop', params: { columns: ['age'] } },
          { op: 'scale', params: { columns: ['age'], method: 'standard' } },
          { op: 'scale', params: { columns: ['city'], method: 'standard' } },
          { op: 'bin', params: { columns: ['income'], strategy: 'sideways', nBins: 3 } },
        ],
      })
      .expect(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.type).toContain('pipeline-invalid');
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field);
    expect(fields.some((f) => f.startsWith('steps[1].columns'))).toBe(true); // dropped by step 0
    expect(fields.some((f) => f.startsWith('steps[2].columns'))).toBe(true); // not numeric
    expect(fields.some((f) => f.startsWith('steps[3].strategy'))).toBe(true); // bad parameter
    expect(fields.some((f) => f.startsWith('steps[0]'))).toBe(false);
  });

  it('should validate a good pipeline and give the schema after each step', async () => {
    const res = await app
      .http()
      .post('/api/v1/transformations/validate')
      .set(alice.auth)
      .send({ datasetId, steps: PIPELINE })
      .expect(200);
    const schemas = res.body.schemas as { name: string }[][];
    expect(schemas).toHaveLength(PIPELINE.length);
    expect(schemas[0].map((c) => c.name)).toContain('id');
    expect(schemas[3].map((c) => c.name)).toEqual(['age', 'income', 'city', 'joined']);
  });

  it('should preview the pipeline with per-step counts, learned state and warnings', async () => {
    const res = await app
      .http()
      .post('/api/v1/transformations/preview')
      .set(alice.auth)
      .send({ datasetId, steps: PIPELINE, limit: 5 })
      .expect(200);
    expect(res.body.sample).toMatchObject({ sampled: false, rows: 60, totalRows: 60 });
    const counts = (res.body.steps as { rows: number; columns: number }[]).map((s) => [
      s.rows,
      s.columns,
    ]);
    expect(counts).toEqual([
      [60, 5],
      [KEPT.length, 5],
      [KEPT.length, 5],
      [KEPT.length, 4],
    ]);
    expect(res.body.rows).toHaveLength(5);
    expect(Object.keys(res.body.rows[0])).toEqual(['age', 'income', 'city', 'joined']);
    expect((res.body.warnings as { code: string }[]).map((w) => w.code)).toEqual(
      expect.arrayContaining(['rows_lost']),
    );
    expect(res.body.needsConfirmation).toBe(false);
  });

  it('should preview a large version on a sample and say so', async () => {
    const big = await newDataset(app, alice, peopleCsv(1000, 11).csv, { fileName: 'big.csv' });
    const res = await app
      .http()
      .post('/api/v1/transformations/preview')
      .set(alice.auth)
      .send({ datasetId: big.id, steps: PIPELINE })
      .expect(200);
    expect(res.body.sample.sampled).toBe(true);
    expect(res.body.sample.totalRows).toBe(1000);
    expect(res.body.sample.rows).toBe(200);
    expect(res.body.sample.method).toContain('every 5th row');
    expect(res.body.steps[0].rows).toBe(200);
  });

  it('should keep other users out of datasets and runs', async () => {
    await app
      .http()
      .post('/api/v1/transformations/preview')
      .set(bob.auth)
      .send({ datasetId, steps: PIPELINE })
      .expect(404);
    await app
      .http()
      .post('/api/v1/transformations/apply')
      .set(bob.auth)
      .send({ datasetId, steps: PIPELINE })
      .expect(404);
    await app.http().get(`/api/v1/lineage/${datasetId}`).set(bob.auth).expect(404);
  });

  describe('apply', () => {
    let run: RunBody;
    let started: RunBody & { parentVersion: number };

    beforeAll(async () => {
      const res = await app
        .http()
        .post('/api/v1/transformations/apply')
        .set(alice.auth)
        .send({ datasetId, steps: PIPELINE })
        .expect(202);
      started = res.body as RunBody & { parentVersion: number };
      run = await waitRun(app, alice, res.body.id as string);
    });

    it('should make version 2 with the transformed rows, its profile and the learned state', async () => {
      expect(started).toMatchObject({ state: 'running', duplicate: false, parentVersion: 1 });
      // The reason is in the comparison so that a failure says why.
      expect({ state: run.state, version: run.version, reason: run.failureReason }).toEqual({
        state: 'ready',
        version: 2,
        reason: undefined,
      });
      expect(run.timings?.totalMs).toBeGreaterThan(0);
      const dataset = await app
        .http()
        .get(`/api/v1/datasets/${datasetId}`)
        .set(alice.auth)
        .expect(200);
      expect(dataset.body.currentVersion).toMatchObject({
        number: 2,
        producedBy: 'transformation',
        rowCount: KEPT.length,
        columnCount: 4,
      });
      const rows = await allRows(app, alice, datasetId);
      expect(rows).toHaveLength(KEPT.length);
      expect(rows.map((r) => r.city)).toEqual(KEPT.map((p) => p.city));
      // Standard scaling on the kept rows: mean 0 and population standard deviation 1.
      const incomes = rows.map((r) => r.income as number);
      const mean = incomes.reduce((s, v) => s + v, 0) / incomes.length;
      const sd = Math.sqrt(incomes.reduce((s, v) => s + (v - mean) ** 2, 0) / incomes.length);
      expect(Math.abs(mean)).toBeLessThan(1e-9);
      expect(sd).toBeCloseTo(1, 9);
      const profile = await app
        .http()
        .get(`/api/v1/datasets/${datasetId}/profile`)
        .set(alice.auth)
        .expect(200);
      expect(profile.body.rowCount).toBe(KEPT.length);
    });

    it('should download the transformed version as CSV, but offer no original file for it', async () => {
      const csv = await app
        .http()
        .get(`/api/v1/datasets/${datasetId}/download?format=csv`)
        .set(alice.auth)
        .buffer(true)
        .parse((res, done) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
          res.on('end', () => done(null, text));
        })
        .expect(200);
      const lines = (csv.body as string).trim().split('\n');
      expect(lines).toHaveLength(KEPT.length + 1);
      const city = lines[0].split(',').indexOf('city');
      expect(lines.slice(1).map((line) => line.split(',')[city])).toEqual(KEPT.map((p) => p.city));
      const original = await app
        .http()
        .get(`/api/v1/datasets/${datasetId}/download?format=original`)
        .set(alice.auth)
        .expect(409);
      expect(original.body.type).toMatch(/dataset-no-original-file$/);
      // Version 1 was uploaded: its file is there.
      await app
        .http()
        .get(`/api/v1/datasets/${datasetId}/download?format=original&version=1`)
        .set(alice.auth)
        .expect(200);
    });

    it('should recognise the same pipeline on the same version and not make a duplicate', async () => {
      const reordered = PIPELINE.map((step) => ({ params: step.params, op: step.op }));
      const res = await app
        .http()
        .post('/api/v1/transformations/apply')
        .set(alice.auth)
        .send({ datasetId, version: 1, steps: reordered })
        .expect(200);
      expect(res.body).toMatchObject({ id: run.id, duplicate: true, state: 'ready', version: 2 });
      const versions = await app
        .http()
        .get(`/api/v1/datasets/${datasetId}/versions`)
        .set(alice.auth)
        .expect(200);
      expect(versions.body.page.total).toBe(2);
    });

    it('should draw the lineage: nodes, the pipeline edge, layout and SVG', async () => {
      const lineage = await app
        .http()
        .get(`/api/v1/lineage/${datasetId}`)
        .set(alice.auth)
        .expect(200);
      expect(lineage.body.nodes.map((n: { version: number }) => n.version)).toEqual([1, 2]);
      expect(lineage.body.edges).toHaveLength(1);
      expect(lineage.body.edges[0]).toMatchObject({
        to: run.versionId,
        runId: run.id,
        createdBy: alice.id,
      });
      expect(lineage.body.edges[0].steps.map((s: { op: string }) => s.op)).toEqual(
        PIPELINE.map((s) => s.op),
      );
      const graph = await app
        .http()
        .get(`/api/v1/lineage/${datasetId}/graph`)
        .set(alice.auth)
        .expect(200);
      const [root, child] = graph.body.nodes as { x: number; y: number }[];
      expect(child.x).toBeGreaterThan(root.x);
      expect(graph.body.edges[0].points).toHaveLength(2);
      const svg = await app
        .http()
        .get(`/api/v1/lineage/${datasetId}/graph.svg`)
        .set(alice.auth)
        .buffer(true)
        .parse((res, done) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => done(null, text));
        })
        .expect(200);
      expect(svg.headers['content-type']).toContain('image/svg+xml');
      const body = svg.body as string;
      expect(body.startsWith('<svg')).toBe(true);
      expect(body).toContain('v2');
      expect(body).not.toMatch(/https?:\/\/(?!www\.w3\.org)/); // self-contained
    });

    it('should reproduce version 2 from the original file with the identical content hash', async () => {
      const started = await app
        .http()
        .post(`/api/v1/lineage/${datasetId}/versions/2/reproduce`)
        .set(alice.auth)
        .expect(202);
      const done = await waitFor(
        () =>
          app
            .http()
            .get(`/api/v1/lineage/${datasetId}/reproductions/${started.body.id}`)
            .set(alice.auth),
        (r) => r.body.state !== 'running',
        60_000,
      );
      expect(done.body).toMatchObject({ state: 'completed', matches: true, version: 2 });
      expect(
        done.body.chain.map((s: { kind: string; matches: boolean }) => [s.kind, s.matches]),
      ).toEqual([
        ['upload', true],
        ['transformation', true],
      ]);
      expect(done.body.actualHash).toBe(done.body.expectedHash);
    });

    it('should refuse to delete a version a newer one was made from', async () => {
      const versions = await app
        .http()
        .get(`/api/v1/datasets/${datasetId}/versions`)
        .set(alice.auth)
        .expect(200);
      const first = (versions.body.items as { id: string; number: number }[]).find(
        (v) => v.number === 1,
      )!;
      const res = await app
        .http()
        .delete(`/api/v1/datasets/${datasetId}/versions/${first.id}`)
        .set(alice.auth)
        .expect(409);
      expect(JSON.stringify(res.body.dependents)).toContain(run.versionId);
    });
  });

  it('should need confirmation before dropping most rows', async () => {
    const dataset = await newDataset(app, alice, PEOPLE.csv, { fileName: 'confirm.csv' });
    const steps = [{ op: 'filter', params: { expression: 'income > 1000000' } }];
    const refused = await app
      .http()
      .post('/api/v1/transformations/apply')
      .set(alice.auth)
      .send({ datasetId: dataset.id, steps })
      .expect(422);
    expect(refused.body.type).toContain('pipeline-needs-confirmation');
    expect(refused.body.detail).toContain('confirm');
    const accepted = await app
      .http()
      .post('/api/v1/transformations/apply')
      .set(alice.auth)
      .send({ datasetId: dataset.id, steps, confirm: true })
      .expect(202);
    const run = await waitRun(app, alice, accepted.body.id as string);
    expect({ state: run.state, reason: run.failureReason }).toEqual({
      state: 'ready',
      reason: undefined,
    });
    expect(run.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['empty_result']));
  });

  it('should forget the runs of a deleted dataset', async () => {
    const dataset = await newDataset(app, alice, PEOPLE.csv, { fileName: 'gone.csv' });
    const started = await app
      .http()
      .post('/api/v1/transformations/apply')
      .set(alice.auth)
      .send({ datasetId: dataset.id, steps: PIPELINE })
      .expect(202);
    expect((await waitRun(app, alice, started.body.id as string)).state).toBe('ready');
    await app.http().delete(`/api/v1/datasets/${dataset.id}`).set(alice.auth).expect(204);
    await app
      .http()
      .get(`/api/v1/transformations/runs/${started.body.id}`)
      .set(alice.auth)
      .expect(404);
    const runs = await app.http().get('/api/v1/transformations/runs?limit=100').set(alice.auth);
    expect(runs.body.items.map((r: { datasetId: string }) => r.datasetId)).not.toContain(
      dataset.id,
    );
  });

  /** Applies PIPELINE (confirmed) to the dataset's current version; the run once it has ended. */
  async function applyPipeline(id: string): Promise<RunBody> {
    const started = await app
      .http()
      .post('/api/v1/transformations/apply')
      .set(alice.auth)
      .send({ datasetId: id, steps: PIPELINE, confirm: true })
      .expect(202);
    return waitRun(app, alice, started.body.id as string);
  }

  it('should apply a pipeline to a version this worker processed from its local copy, with no download', async () => {
    const dataset = await newDataset(app, alice, PEOPLE.csv, { fileName: 'local.csv' });
    const parquetKey = `${app.options.storagePrefix}${dataset.id}/${dataset.currentVersion.id}/data.parquet`;
    expect(await app.objects(parquetKey)).toEqual([parquetKey]);
    // Without the stored typed copy, only the worker's own copy can feed the pipeline.
    await app.app
      .get(S3Client)
      .send(new DeleteObjectCommand({ Bucket: app.config.s3.bucket, Key: parquetKey }));
    const run = await applyPipeline(dataset.id);
    expect(run.state).toBe('ready');
    const rows = await allRows(app, alice, dataset.id);
    expect(rows.map((row) => row.city)).toEqual(KEPT.map((p) => p.city));
  });

  it('should mark a failed apply failed with the reason and leave no version or object behind', async () => {
    const dataset = await newDataset(app, alice, PEOPLE.csv, { fileName: 'broken.csv' });
    // Make the version's record disagree with its file behind the API's back (a column the
    // pipeline does not use is renamed): the worker cannot read the version. (Deleting the stored
    // file would not do: the worker that processed the version keeps a local copy.)
    const client = await MongoClient.connect(app.config.mongo.uri);
    try {
      await client
        .db()
        .collection('dataset_versions')
        .updateOne(
          { _id: new ObjectId(dataset.currentVersion.id) },
          { $set: { 'columns.4.name': 'no_such_column' } },
        );
    } finally {
      await client.close();
    }
    const run = await applyPipeline(dataset.id);
    expect(run.state).toBe('failed');
    expect(run.failureReason).toMatch(/no_such_column/);
    const job = await app.http().get(`/api/v1/jobs/${run.jobId}`).set(alice.auth).expect(200);
    expect(job.body.state).toBe('failed');
    const versions = await app
      .http()
      .get(`/api/v1/datasets/${dataset.id}/versions`)
      .set(alice.auth)
      .expect(200);
    expect(versions.body.page.total).toBe(1);
    expect(await app.objects(`${app.options.storagePrefix}${dataset.id}/${run.id}/`)).toEqual([]);
  });
});
