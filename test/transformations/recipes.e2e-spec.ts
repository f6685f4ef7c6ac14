import { newUser, type TestUser } from '../support/factories';
import { newDataset } from '../datasets/datasets-factories';
import { startDatasetsTestApp, type DatasetsTestApp } from '../datasets/datasets-test-app';
import { peopleCsv, waitRun } from './transformations-factories';

const STEPS = [
  { op: 'impute', params: { columns: ['age'], strategy: 'mean' } },
  { op: 'encode', params: { columns: ['city'], method: 'onehot' } },
];

describe('recipes: save, version, share, check and apply', () => {
  let app: DatasetsTestApp;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let aliceDataset: string;
  let recipeId: string;

  beforeAll(async () => {
    app = await startDatasetsTestApp();
    [alice, bob, carol] = await Promise.all([newUser(app), newUser(app), newUser(app)]);
    aliceDataset = (await newDataset(app, alice, peopleCsv(40).csv, { fileName: 'a.csv' })).id;
  });
  afterAll(async () => {
    await app.close();
  });

  it('should save a pipeline with the input schema of the dataset it was built on', async () => {
    const res = await app
      .http()
      .post('/api/v1/recipes')
      .set(alice.auth)
      .send({ name: 'Clean people', steps: STEPS, from: { datasetId: aliceDataset } })
      .expect(201);
    recipeId = res.body.id as string;
    expect(res.body).toMatchObject({
      name: 'Clean people',
      version: 1,
      latestVersion: 1,
      access: 'owner',
      public: false,
      sharedWith: [],
    });
    expect(res.body.inputSchema.map((c: { name: string }) => c.name)).toEqual([
      'id',
      'age',
      'income',
      'city',
      'joined',
    ]);
  });

  it('should refuse invalid steps, a missing schema and a name already used', async () => {
    const invalid = await app
      .http()
      .post('/api/v1/recipes')
      .set(alice.auth)
      .send({
        name: 'Broken',
        steps: [{ op: 'scale', params: { columns: ['city'], method: 'standard' } }],
        from: { datasetId: aliceDataset },
      })
      .expect(400);
    expect(invalid.body.errors[0].field).toMatch(/^steps\[0\]/);
    await app
      .http()
      .post('/api/v1/recipes')
      .set(alice.auth)
      .send({ name: 'No schema', steps: STEPS })
      .expect(400);
    const taken = await app
      .http()
      .post('/api/v1/recipes')
      .set(alice.auth)
      .send({ name: 'Clean people', steps: STEPS, from: { datasetId: aliceDataset } })
      .expect(409);
    expect(taken.body.type).toContain('recipe-name-taken');
  });

  it('should make a new version when the steps change, and keep the old one', async () => {
    const updated = await app
      .http()
      .patch(`/api/v1/recipes/${recipeId}`)
      .set(alice.auth)
      .send({
        steps: [...STEPS, { op: 'drop', params: { columns: ['id'] } }],
        note: 'drop the id',
      })
      .expect(200);
    expect(updated.body).toMatchObject({ version: 2, latestVersion: 2 });
    expect(updated.body.steps).toHaveLength(3);
    const renamed = await app
      .http()
      .patch(`/api/v1/recipes/${recipeId}`)
      .set(alice.auth)
      .send({ description: 'imputes, encodes, drops' })
      .expect(200);
    expect(renamed.body).toMatchObject({
      latestVersion: 2,
      description: 'imputes, encodes, drops',
    });
    const versions = await app
      .http()
      .get(`/api/v1/recipes/${recipeId}/versions`)
      .set(alice.auth)
      .expect(200);
    expect(versions.body.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(versions.body[0].note).toBe('drop the id');
    const first = await app
      .http()
      .get(`/api/v1/recipes/${recipeId}?version=1`)
      .set(alice.auth)
      .expect(200);
    expect(first.body.steps).toHaveLength(2);
  });

  it('should hide a private recipe, share it read-only, then make it public', async () => {
    await app.http().get(`/api/v1/recipes/${recipeId}`).set(bob.auth).expect(404);
    const shared = await app
      .http()
      .put(`/api/v1/recipes/${recipeId}/sharing`)
      .set(alice.auth)
      .send({ users: [bob.email.toUpperCase()], public: false })
      .expect(200);
    expect(shared.body.sharedWith).toEqual([bob.email]);
    const asBob = await app.http().get(`/api/v1/recipes/${recipeId}`).set(bob.auth).expect(200);
    expect(asBob.body.access).toBe('shared');
    expect(asBob.body.sharedWith).toBeUndefined(); // only the owner sees who else has it
    const bobsList = await app.http().get('/api/v1/recipes?scope=shared').set(bob.auth).expect(200);
    expect(bobsList.body.items.map((r: { id: string }) => r.id)).toEqual([recipeId]);
    const write = await app
      .http()
      .patch(`/api/v1/recipes/${recipeId}`)
      .set(bob.auth)
      .send({ name: 'Mine now' })
      .expect(403);
    expect(write.body.type).toContain('recipe-read-only');
    await app.http().delete(`/api/v1/recipes/${recipeId}`).set(bob.auth).expect(403);
    await app.http().get(`/api/v1/recipes/${recipeId}`).set(carol.auth).expect(404);
    const unknown = await app
      .http()
      .put(`/api/v1/recipes/${recipeId}/sharing`)
      .set(alice.auth)
      .send({ users: ['nobody@example.com'], public: false })
      .expect(400);
    expect(unknown.body.detail).toContain('nobody@example.com');
    await app
      .http()
      .put(`/api/v1/recipes/${recipeId}/sharing`)
      .set(alice.auth)
      .send({ users: [bob.email], public: true })
      .expect(200);
    const asCarol = await app.http().get(`/api/v1/recipes/${recipeId}`).set(carol.auth).expect(200);
    expect(asCarol.body.access).toBe('public');
  });

  it('should explain why a recipe does not fit a dataset, and refuse to apply it', async () => {
    const other = await newDataset(app, carol, 'id,age,town\n1,30,Oslo\n2,,Bergen\n3,41,Oslo\n', {
      fileName: 'c.csv',
    });
    const check = await app
      .http()
      .post(`/api/v1/recipes/${recipeId}/check`)
      .set(carol.auth)
      .send({ datasetId: other.id })
      .expect(200);
    expect(check.body).toMatchObject({ compatible: false, recipeVersion: 2 });
    expect(check.body.missingColumns).toEqual(['income', 'city', 'joined']);
    expect(check.body.explanation).toContain('city');
    const refused = await app
      .http()
      .post(`/api/v1/recipes/${recipeId}/apply`)
      .set(carol.auth)
      .send({ datasetId: other.id })
      .expect(422);
    expect(refused.body.type).toContain('recipe-incompatible');
    expect(refused.body.compatibility.missingColumns).toContain('city');
  });

  it('should apply a shared recipe to the reader’s own dataset and record the recipe in lineage', async () => {
    const bobs = await newDataset(app, bob, peopleCsv(30, 3).csv, { fileName: 'b.csv' });
    const check = await app
      .http()
      .post(`/api/v1/recipes/${recipeId}/check`)
      .set(bob.auth)
      .send({ datasetId: bobs.id })
      .expect(200);
    expect(check.body.compatible).toBe(true);
    // Bob cannot apply it to Alice's dataset.
    await app
      .http()
      .post(`/api/v1/recipes/${recipeId}/apply`)
      .set(bob.auth)
      .send({ datasetId: aliceDataset })
      .expect(404);
    const started = await app
      .http()
      .post(`/api/v1/recipes/${recipeId}/apply`)
      .set(bob.auth)
      .send({ datasetId: bobs.id, recipeVersion: 1 })
      .expect(202);
    const run = await waitRun(app, bob, started.body.id as string);
    expect({ state: run.state, reason: run.failureReason }).toEqual({
      state: 'ready',
      reason: undefined,
    });
    const lineage = await app.http().get(`/api/v1/lineage/${bobs.id}`).set(bob.auth).expect(200);
    expect(lineage.body.edges[0].recipe).toEqual({
      id: recipeId,
      name: 'Clean people',
      version: 1,
    });
    const schema = await app
      .http()
      .get(`/api/v1/datasets/${bobs.id}/schema`)
      .set(bob.auth)
      .expect(200);
    const names = (schema.body.columns as { name: string }[]).map((c) => c.name);
    expect(names).not.toContain('city');
    expect(names.filter((n) => n.startsWith('city_')).length).toBeGreaterThanOrEqual(2);
  });

  it('should let only the owner delete the recipe', async () => {
    await app.http().delete(`/api/v1/recipes/${recipeId}`).set(alice.auth).expect(204);
    await app.http().get(`/api/v1/recipes/${recipeId}`).set(alice.auth).expect(404);
    await app.http().get(`/api/v1/recipes/${recipeId}/versions`).set(alice.auth).expect(404);
  });
});
