import type { ChildProcess } from 'node:child_process';
import { MongoClient } from 'mongodb';
import { AuditService } from 'src/core/audit/audit.service';
import { newDataset } from '../datasets/datasets-factories';
import { newUser, signIn } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';
import { stopProcess } from '../support/processes';
import { startWorker } from '../support/worker-process';

describe('user mode and preferences', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('should give a new user the default mode without writing anything', async () => {
    const user = await newUser(app);
    const res = await app.http().get('/api/v1/user/mode').set(user.auth).expect(200);
    expect(res.body).toEqual({ mode: 'guided', isDefault: true });
    const client = await MongoClient.connect(app.config.mongo.uri);
    try {
      expect(
        await client
          .db()
          .collection('user_settings')
          .countDocuments({ _id: user.id as never }),
      ).toBe(0);
    } finally {
      await client.close();
    }
  });

  it('should change the mode, validate it and audit the change with the request id', async () => {
    const user = await newUser(app);
    const bad = await app
      .http()
      .post('/api/v1/user/mode')
      .set(user.auth)
      .send({ mode: 'wizard' })
      .expect(400);
    expect(bad.body.errors[0].field).toBe('mode');
    await app
      .http()
      .post('/api/v1/user/mode')
      .set(user.auth)
      .set('X-Request-ID', 'mode-change-1')
      .send({ mode: 'expert' })
      .expect(200);
    const res = await app.http().get('/api/v1/user/mode').set(user.auth).expect(200);
    expect(res.body).toMatchObject({ mode: 'expert', isDefault: false });
    const audit = await app.app.get(AuditService).list(user.id, 0, 20, 'user.mode-changed');
    expect(audit.items[0]).toMatchObject({
      requestId: 'mode-change-1',
      details: { from: 'guided', to: 'expert' },
    });
  });

  it('should answer defaults for a new user and deep-merge partial updates', async () => {
    const user = await newUser(app);
    const initial = await app.http().get('/api/v1/user/preferences').set(user.auth).expect(200);
    expect(initial.body.preferences.display).toEqual({
      theme: 'system',
      density: 'comfortable',
      language: 'en',
      dateFormat: 'iso',
    });
    await app
      .http()
      .put('/api/v1/user/preferences')
      .set(user.auth)
      .send({ display: { theme: 'dark' } })
      .expect(200);
    const merged = await app
      .http()
      .put('/api/v1/user/preferences')
      .set(user.auth)
      .send({ data: { previewRows: 500 } })
      .expect(200);
    expect(merged.body.preferences.display).toMatchObject({
      theme: 'dark',
      density: 'comfortable',
    });
    expect(merged.body.preferences.data).toMatchObject({ previewRows: 500, defaultPageSize: 50 });
    expect(merged.body.schemaVersion).toBe(2);
  });

  it.each([
    [{ display: { colour: 'red' } }, 'display.colour'],
    [{ favourite: 1 }, 'favourite'],
    [{ display: { theme: 'neon' } }, 'display.theme'],
    [{ data: { previewRows: 'many' } }, 'data.previewRows'],
    [{ notifications: { email: 'yes' } }, 'notifications.email'],
    [{ training: { defaultTimeBudgetSeconds: 5 } }, 'training.defaultTimeBudgetSeconds'],
  ])('should reject %j naming %s', async (body, field) => {
    const user = await newUser(app);
    const res = await app
      .http()
      .put('/api/v1/user/preferences')
      .set(user.auth)
      .send(body)
      .expect(400);
    expect(res.body.errors.map((error: { field: string }) => error.field)).toContain(field);
  });

  it("should keep each user's settings to themselves", async () => {
    const alice = await newUser(app);
    const bob = await newUser(app);
    await app
      .http()
      .put('/api/v1/user/preferences')
      .set(alice.auth)
      .send({ display: { theme: 'light' } })
      .expect(200);
    await app
      .http()
      .post('/api/v1/user/mode')
      .set(alice.auth)
      .send({ mode: 'standard' })
      .expect(200);
    const bobs = await app.http().get('/api/v1/user/preferences').set(bob.auth).expect(200);
    expect(bobs.body.preferences.display.theme).toBe('system');
    expect((await app.http().get('/api/v1/user/mode').set(bob.auth).expect(200)).body.mode).toBe(
      'guided',
    );
  });

  it('should migrate preferences stored under an older schema version', async () => {
    const user = await newUser(app);
    const client = await MongoClient.connect(app.config.mongo.uri);
    try {
      await client
        .db()
        .collection('user_settings')
        .insertOne({
          _id: user.id as never,
          preferencesVersion: 1,
          preferences: { theme: 'dark', pageSize: 20 },
        });
      const res = await app.http().get('/api/v1/user/preferences').set(user.auth).expect(200);
      expect(res.body.preferences.display.theme).toBe('dark');
      expect(res.body.preferences.data.defaultPageSize).toBe(20);
      const stored = await client
        .db()
        .collection('user_settings')
        .findOne({ _id: user.id as never });
      expect(stored).toMatchObject({
        preferencesVersion: 2,
        preferences: { display: { theme: 'dark' }, data: { defaultPageSize: 20 } },
      });
    } finally {
      await client.close();
    }
  });
});

describe('user settings across an API restart', () => {
  it('should keep mode and preferences when the API restarts', async () => {
    const first = await startTestApp();
    const user = await newUser(first);
    await first
      .http()
      .post('/api/v1/user/mode')
      .set(user.auth)
      .send({ mode: 'expert' })
      .expect(200);
    await first
      .http()
      .put('/api/v1/user/preferences')
      .set(user.auth)
      .send({ display: { density: 'compact' } })
      .expect(200);
    await first.close({ keepData: true });

    const second = await startTestApp({}, first.namespace);
    try {
      const { auth } = await signIn(second, user.email, user.password);
      expect((await second.http().get('/api/v1/user/mode').set(auth).expect(200)).body.mode).toBe(
        'expert',
      );
      expect(
        (await second.http().get('/api/v1/user/preferences').set(auth).expect(200)).body.preferences
          .display.density,
      ).toBe('compact');
    } finally {
      await second.close();
    }
  });
});

describe('onboarding progress', () => {
  let app: TestApp;
  let worker: ChildProcess;

  beforeAll(async () => {
    app = await startTestApp();
    worker = await startWorker(app);
  });
  afterAll(async () => {
    await stopProcess(worker);
    await app.close();
  });

  it('should derive progress from what the user has really done', async () => {
    const user = await newUser(app);
    const fresh = await app.http().get('/api/v1/user/onboarding').set(user.auth).expect(200);
    expect(fresh.body).toMatchObject({
      completed: 0,
      total: 8,
      next: { key: 'upload', available: true },
    });
    expect(fresh.body.steps.map((step: { key: string }) => step.key)).toEqual([
      'upload',
      'profile',
      'transform',
      'train',
      'evaluate',
      'deploy',
      'predict',
      'monitor',
    ]);

    const dataset = await newDataset(app, user, 'a,b\n1,x\n2,y\n3,z\n');
    expect(dataset.status).toBe('ready');
    const progressed = await app.http().get('/api/v1/user/onboarding').set(user.auth).expect(200);
    const done = progressed.body.steps
      .filter((step: { done: boolean }) => step.done)
      .map((step: { key: string }) => step.key);
    expect(done).toEqual(['upload', 'profile']);
    expect(progressed.body.completed).toBe(2);
    expect(progressed.body.next.key).toBe('transform');

    // Another user's progress is their own.
    const other = await newUser(app);
    expect(
      (await app.http().get('/api/v1/user/onboarding').set(other.auth).expect(200)).body.completed,
    ).toBe(0);
  });
});
