import { createHash } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { newUser, signIn, type TestUser } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

const PROBLEM = /application\/problem\+json/;

describe('code security: POST /api/v1/security/execute, limits, health, executions', () => {
  let app: TestApp;
  let user: TestUser;
  const adminEmail = 'code-admin@example.com';
  const adminPassword = 'admin password 123';

  beforeAll(async () => {
    app = await startTestApp({ ADMIN_EMAIL: adminEmail, ADMIN_PASSWORD: adminPassword });
    user = await newUser(app);
  });
  afterAll(async () => {
    await app.close();
  });

  const execute = (
    who: TestUser | { auth: { Authorization: string } },
    body: Record<string, unknown>,
  ) => app.http().post('/api/v1/security/execute').set(who.auth).send(body);

  it('should run JavaScript with inputs and return output, result, variables, time and memory', async () => {
    const res = await execute(user, {
      language: 'javascript',
      code: 'console.log("sum of", values.length);\nvar total = values.reduce((a, b) => a + b, 0);\n({ total, mean: total / values.length })',
      inputs: { values: [1, 2, 3, 4] },
    }).expect(200);
    expect(res.body).toMatchObject({
      language: 'javascript',
      outcome: 'success',
      stdout: 'sum of 4\n',
      stderr: '',
      result: { total: 10, mean: 2.5 },
      variables: { total: 10 },
      limits: { timeoutSeconds: 30, memoryMb: 512 },
    });
    expect(res.body.executionId).toMatch(/^[0-9a-f]{24}$/);
    expect(res.body.executionTimeMs).toEqual(expect.any(Number));
    expect(res.body.peakMemoryBytes).toBeGreaterThan(0);
  });

  it('should run Python with numpy and pandas and return the result and captured variables', async () => {
    const res = await execute(user, {
      language: 'python',
      code: 'import numpy as np, pandas as pd\ndf = pd.DataFrame({"x": values})\nprint(df["x"].sum())\nmean = float(np.mean(values))\nresult = {"n": len(df)}',
      inputs: { values: [1, 2, 3] },
      timeoutSeconds: 60,
    }).expect(200);
    expect(res.body).toMatchObject({
      language: 'python',
      outcome: 'success',
      stdout: '6\n',
      result: { n: 3 },
      variables: { mean: 2, df: { columns: ['x'], data: [[1], [2], [3]] } },
      limits: { timeoutSeconds: 60, memoryMb: 512 },
    });
    expect(res.body.peakMemoryBytes).toBeGreaterThan(10_000_000);
  });

  it.each([
    ['javascript', 'let a = 1;\nlet b = (;', 2],
    ['python', 'a = 1\nb = (\n', 2],
  ])(
    'should answer 422 syntax-error with line and message for %s',
    async (language, code, line) => {
      const res = await execute(user, { language, code }).expect(422);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body).toMatchObject({
        type: expect.stringMatching(/\/syntax-error$/),
        status: 422,
        outcome: 'syntax-error',
        line,
      });
      expect(res.body.message).toEqual(expect.any(String));
    },
  );

  it.each([
    [
      'javascript',
      'console.log("before");\nfunction f() { throw new TypeError("bad value") }\nf()',
      'TypeError',
      /snippet\.js:2/,
    ],
    [
      'python',
      'print("before")\ndef f():\n    raise ValueError("bad value")\nf()',
      'ValueError',
      /File "<snippet>", line 3, in f/,
    ],
  ])(
    'should answer 422 runtime-error with a traceback and the output so far for %s',
    async (language, code, errorType, trace) => {
      const res = await execute(user, { language, code }).expect(422);
      expect(res.body).toMatchObject({
        type: expect.stringMatching(/\/runtime-error$/),
        outcome: 'runtime-error',
        errorType,
        message: 'bad value',
        stdout: 'before\n',
      });
      expect(res.body.traceback).toMatch(trace);
      expect(res.body.executionId).toMatch(/^[0-9a-f]{24}$/);
    },
  );

  it.each([
    [{ language: 'ruby', code: '1' }, 'language'],
    [{ language: 'python', code: '' }, 'code'],
    [{ language: 'python', code: 'x'.repeat(50_001) }, 'code'],
    [{ language: 'python', code: '1', timeoutSeconds: 0 }, 'timeoutSeconds'],
    [{ language: 'python', code: '1', timeoutSeconds: 301 }, 'timeoutSeconds'],
    [{ language: 'python', code: '1', timeoutSeconds: 1.5 }, 'timeoutSeconds'],
    [{ language: 'python', code: '1', memoryMb: 63 }, 'memoryMb'],
    [{ language: 'python', code: '1', memoryMb: 2049 }, 'memoryMb'],
    [{ language: 'python', code: '1', inputs: [1, 2] }, 'inputs'],
    [{ language: 'python', code: '1', inputs: { 'not-a-name': 1 } }, 'inputs'],
    [{ language: 'javascript', code: '1', inputs: { console: 1 } }, 'inputs'],
    [{ language: 'python', code: '1', shell: true }, 'shell'],
  ])('should reject invalid request %# with 400 naming the field', async (body, field) => {
    const res = await execute(user, body).expect(400);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  });

  it('should require authentication', async () => {
    await app
      .http()
      .post('/api/v1/security/execute')
      .send({ language: 'python', code: '1' })
      .expect(401);
  });

  it('should publish the limits', async () => {
    const res = await app.http().get('/api/v1/security/limits').set(user.auth).expect(200);
    expect(res.body).toMatchObject({
      languages: ['javascript', 'python'],
      timeoutSeconds: { min: 1, max: 300, default: 30 },
      memoryMb: { min: 64, max: 2048, default: 512 },
      maxCodeLength: 50_000,
      maxConcurrentPerUser: 2,
      maxConcurrentGlobal: 4,
    });
  });

  it('should report both sandboxes available', async () => {
    const res = await app.http().get('/api/v1/security/health').set(user.auth).expect(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      languages: {
        javascript: { available: true },
        python: {
          available: true,
          packages: { numpy: expect.any(String), pandas: expect.any(String) },
        },
      },
    });
  });

  it('should answer 429 with Retry-After beyond the concurrent runs of one user, then admit them again', async () => {
    const runner = await newUser(app);
    const sleeper = { language: 'python', code: 'import time\ntime.sleep(2)' };
    const running = [execute(runner, sleeper), execute(runner, sleeper)].map((request) =>
      request.then((res) => res),
    );
    await new Promise((resolve) => setTimeout(resolve, 400));
    const refused = await execute(runner, { language: 'javascript', code: '1' }).expect(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.body).toMatchObject({
      type: expect.stringMatching(/\/concurrency-limit$/),
      scope: 'user',
      limit: 2,
    });
    // Someone else still gets in: the global cap is higher.
    await execute(user, { language: 'javascript', code: '1' }).expect(200);
    expect((await Promise.all(running)).map((res) => res.status)).toEqual([200, 200]);
    await execute(runner, { language: 'javascript', code: '1' }).expect(200);
  });

  it('should answer 429 beyond the global number of concurrent runs', async () => {
    const runners = await Promise.all([newUser(app), newUser(app)]);
    const sleeper = { language: 'python', code: 'import time\ntime.sleep(2)' };
    const running = runners
      .flatMap((runner) => [execute(runner, sleeper), execute(runner, sleeper)])
      .map((request) => request.then((res) => res));
    await new Promise((resolve) => setTimeout(resolve, 400));
    const refused = await execute(user, { language: 'javascript', code: '1' }).expect(429);
    expect(refused.body).toMatchObject({ scope: 'global', limit: 4 });
    expect((await Promise.all(running)).map((res) => res.status)).toEqual([200, 200, 200, 200]);
  });

  it('should store and audit every execution, listing only your own unless you are an admin', async () => {
    const owner = await newUser(app);
    const other = await newUser(app);
    await execute(owner, { language: 'javascript', code: '2 + 2' }).expect(200);
    await execute(owner, {
      language: 'python',
      code: 'while True: pass',
      timeoutSeconds: 1,
    }).expect(422);
    await execute(other, { language: 'javascript', code: '3' }).expect(200);

    const mine = await app
      .http()
      .get('/api/v1/security/executions?limit=10')
      .set(owner.auth)
      .expect(200);
    expect(mine.body.page).toEqual({ offset: 0, limit: 10, total: 2 });
    expect(mine.body.items.map((item: { outcome: string }) => item.outcome)).toEqual([
      'timeout',
      'success',
    ]);
    expect(mine.body.items[1]).toMatchObject({
      ownerId: owner.id,
      language: 'javascript',
      codeSha256: createHash('sha256').update('2 + 2').digest('hex'),
      timeoutSeconds: 30,
      memoryMb: 512,
      durationMs: expect.any(Number),
    });
    expect(mine.body.items[1]).not.toHaveProperty('code');

    const admin = await signIn(app, adminEmail, adminPassword);
    const all = await app
      .http()
      .get('/api/v1/security/executions?limit=100')
      .set(admin.auth)
      .expect(200);
    const owners = new Set(all.body.items.map((item: { ownerId: string }) => item.ownerId));
    expect(owners.has(owner.id) && owners.has(other.id)).toBe(true);

    const client = new MongoClient(app.config.mongo.uri);
    try {
      await client.connect();
      const events = await client
        .db()
        .collection('audit_events')
        .find({ action: 'code.execute', userId: owner.id })
        .sort({ at: 1 })
        .toArray();
      expect(
        events.map((event) => [String(event.outcome), String(event.details?.outcome)]),
      ).toEqual([
        ['success', 'success'],
        ['failure', 'timeout'],
      ]);
      expect(events[0].details).toMatchObject({
        language: 'javascript',
        codeSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        timeoutSeconds: 30,
        memoryMb: 512,
      });
      expect(events[0].target).toBe(`sha256:${events[0].details?.codeSha256}`);
    } finally {
      await client.close();
    }
  });
});
