import { readFileSync } from 'node:fs';
import { newUser } from '../support/factories';
import { startDatasetsTestApp, type DatasetsTestApp } from './datasets-test-app';
import { uploadDataset, waitProcessed } from './datasets-factories';

describe('smoke', () => {
  let app: DatasetsTestApp;
  beforeAll(async () => { app = await startDatasetsTestApp(); });
  afterAll(async () => { await app.close(); });
  it('works', async () => {
    const user = await newUser(app);
    const res = await uploadDataset(app, user, readFileSync('test/fixtures/datasets/penguins.csv'), { fileName: 'penguins.csv' });
    console.log(res.status, JSON.stringify(res.body).slice(0, 1500));
    const done = await waitProcessed(app, user, res.body.id);
    console.log(JSON.stringify(done).slice(0, 3000));
    const rows = await app.http().get(`/api/v1/datasets/${res.body.id}/rows?limit=3`).set(user.auth);
    console.log(rows.status, JSON.stringify(rows.body));
  });
});
