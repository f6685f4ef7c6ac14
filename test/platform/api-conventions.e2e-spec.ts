import { newUser } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

describe('API conventions', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ BODY_LIMIT: '2kb' });
  });
  afterAll(async () => {
    await app.close();
  });

  it('should redirect an unversioned /api path to its v1 twin with 308, Deprecation and Sunset', async () => {
    const res = await app.http().post('/api/auth/token?x=1').send({}).expect(308);
    expect(res.headers.location).toBe('/api/v1/auth/token?x=1');
    expect(res.headers.deprecation).toBe('true');
    expect(new Date(res.headers.sunset).getTime()).toBeGreaterThan(Date.now());
  });

  it('should serve Accept: application/vnd.narrativeml.v1+json as v1', async () => {
    const user = await newUser(app);
    await app
      .http()
      .get('/api/v1/auth/me')
      .set(user.auth)
      .set('Accept', 'application/vnd.narrativeml.v1+json')
      .expect(200);
  });

  it('should answer 406 to a request that accepts only an unknown API version', async () => {
    const res = await app
      .http()
      .get('/api/v1/auth/me')
      .set('Accept', 'application/vnd.narrativeml.v9+json')
      .expect(406);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 406, supportedVersions: ['1'] });
  });

  it('should answer an unknown route with a complete problem document', async () => {
    const res = await app
      .http()
      .get('/api/v1/nothing-here')
      .set('X-Request-ID', 'trace-me-42')
      .expect(404);
    expect(res.headers['x-request-id']).toBe('trace-me-42');
    expect(res.body).toEqual({
      type: expect.stringMatching(/^https:\/\//),
      title: expect.any(String),
      status: 404,
      detail: expect.any(String),
      instance: '/api/v1/nothing-here',
      requestId: 'trace-me-42',
    });
  });

  it('should make a request id when none (or a malformed one) is sent', async () => {
    const res = await app
      .http()
      .get('/health')
      .set('X-Request-ID', 'bad id with spaces')
      .expect(200);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('should answer 400 problem+json for malformed JSON', async () => {
    const res = await app
      .http()
      .post('/api/v1/auth/register')
      .set('Content-Type', 'application/json')
      .send('{"email": ')
      .expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('should answer 413 problem+json above the body limit', async () => {
    const res = await app
      .http()
      .post('/api/v1/auth/register')
      .send({ email: 'a@example.com', name: 'x'.repeat(4000), password: 'password123' })
      .expect(413);
    expect(res.body.status).toBe(413);
  });

  it('should send security headers', async () => {
    const res = await app.http().get('/health').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

describe('rate limits with the real defaults', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({
      APP_PROFILE: 'production',
      JWT_SECRET: 'x'.repeat(40),
      BCRYPT_COST: '4',
      LOG_LEVEL: 'silent',
    });
  });
  afterAll(async () => {
    await app.close();
  });

  it('should allow 10 auth requests a minute and answer the 11th with 429 and Retry-After', async () => {
    for (let i = 0; i < 10; i++) {
      await app
        .http()
        .post('/api/v1/auth/token')
        .type('form')
        .send({ grant_type: 'password', username: 'a@b.co', password: 'x' })
        .expect(400);
    }
    const res = await app
      .http()
      .post('/api/v1/auth/refresh')
      .send({ refresh_token: 'x' })
      .expect(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.body).toMatchObject({ status: 429, type: expect.stringMatching(/rate-limited$/) });
    // Health is never throttled.
    await app.http().get('/health').expect(200);
  });
});

describe('rate limits shared by several API instances', () => {
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    const env = {
      APP_PROFILE: 'production',
      JWT_SECRET: 'y'.repeat(40),
      BCRYPT_COST: '4',
      LOG_LEVEL: 'silent',
    };
    first = await startTestApp(env);
    // Same Redis keyspace and database: a second instance of the same deployment.
    second = await startTestApp(env, first.namespace);
  });
  afterAll(async () => {
    await second.close({ keepData: true });
    await first.close();
  });

  it('should count requests to either instance against one budget', async () => {
    const attempt = (app: TestApp) =>
      app
        .http()
        .post('/api/v1/auth/token')
        .type('form')
        .send({ grant_type: 'password', username: 'a@b.co', password: 'x' });
    for (let i = 0; i < 5; i++) {
      expect((await attempt(first)).status).toBe(400);
      expect((await attempt(second)).status).toBe(400);
    }
    expect((await attempt(first)).status).toBe(429);
    expect((await attempt(second)).status).toBe(429);
  });
});
