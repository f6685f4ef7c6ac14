import { createHmac } from 'node:crypto';
import { newUser, signIn } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

function signJwt(payload: Record<string, unknown>, secret: string, alg = 'HS256'): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const head = `${encode({ alg, typ: 'JWT' })}.${encode(payload)}`;
  const signature =
    alg === 'none' ? '' : createHmac('sha256', secret).update(head).digest('base64url');
  return `${head}.${signature}`;
}

describe('auth: access tokens, API keys and roles', () => {
  let app: TestApp;
  const adminEmail = 'root-admin@example.com';
  const adminPassword = 'admin password 123';

  beforeAll(async () => {
    app = await startTestApp({ ADMIN_EMAIL: adminEmail, ADMIN_PASSWORD: adminPassword });
  });
  afterAll(async () => {
    await app.close();
  });

  const now = () => Math.floor(Date.now() / 1000);
  const claimsFor = (sub: string) => ({
    sub,
    email: 'x@example.com',
    roles: ['user'],
    jti: 'j1',
    iat: now(),
    exp: now() + 600,
  });

  it.each([
    [
      'an expired token',
      (secret: string, sub: string) =>
        signJwt({ ...claimsFor(sub), iat: now() - 7200, exp: now() - 3600 }, secret),
      /expired/,
    ],
    [
      'a token signed with another key',
      (_secret: string, sub: string) => signJwt(claimsFor(sub), 'another-secret-another-secret-xx'),
      /signature/,
    ],
    ['a malformed token', () => 'not.a.jwt', /malformed/],
    [
      'an unsigned (alg none) token',
      (secret: string, sub: string) => signJwt(claimsFor(sub), secret, 'none'),
      /./,
    ],
    [
      'a token without required claims',
      (secret: string, sub: string) => signJwt({ sub, iat: now(), exp: now() + 600 }, secret),
      /claims/,
    ],
  ])('should answer 401 with a Bearer challenge for %s', async (_label, make, detail) => {
    const user = await newUser(app);
    const token = make(app.config.auth.jwtSecret, user.id);
    const res = await app
      .http()
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${token}`)
      .expect(401);
    expect(res.headers['www-authenticate']).toMatch(
      /^Bearer realm="narrativeml", error="invalid_token"/,
    );
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.detail).toMatch(detail);
  });

  it('should answer 401 without credentials and for a non-Bearer scheme', async () => {
    const none = await app.http().get('/api/v1/auth/me').expect(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="narrativeml"');
    await app.http().get('/api/v1/auth/me').set('Authorization', 'Basic dXNlcjpwYXNz').expect(401);
  });

  it('should create an API key shown once, authenticate with it, list it without the secret and revoke it', async () => {
    const user = await newUser(app);
    const created = await app
      .http()
      .post('/api/v1/auth/api-keys')
      .set(user.auth)
      .send({ name: 'cron' })
      .expect(201);
    expect(created.body.key).toMatch(/^nml_/);
    const keyAuth = { Authorization: `Bearer ${created.body.key}` };
    const me = await app.http().get('/api/v1/auth/me').set(keyAuth).expect(200);
    expect(me.body.id).toBe(user.id);

    const list = await app.http().get('/api/v1/auth/api-keys').set(user.auth).expect(200);
    expect(list.body.page).toEqual({ offset: 0, limit: 20, total: 1 });
    expect(list.body.items[0]).toMatchObject({
      id: created.body.id,
      name: 'cron',
      prefix: created.body.key.slice(0, 10),
    });
    expect(JSON.stringify(list.body)).not.toContain(created.body.key);

    const other = await newUser(app);
    await app.http().delete(`/api/v1/auth/api-keys/${created.body.id}`).set(other.auth).expect(404);
    await app.http().delete(`/api/v1/auth/api-keys/${created.body.id}`).set(user.auth).expect(204);
    const refused = await app.http().get('/api/v1/auth/me').set(keyAuth).expect(401);
    expect(refused.body.detail).toMatch(/API key/);
  });

  it('should refuse an expired API key and an invalid expiry', async () => {
    const user = await newUser(app);
    const bad = await app
      .http()
      .post('/api/v1/auth/api-keys')
      .set(user.auth)
      .send({ name: 'x', expiresAt: 'soon' })
      .expect(400);
    expect(bad.body.errors[0].field).toBe('expiresAt');
    const created = await app
      .http()
      .post('/api/v1/auth/api-keys')
      .set(user.auth)
      .send({ name: 'old', expiresAt: new Date(Date.now() - 1000).toISOString() })
      .expect(201);
    await app
      .http()
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${created.body.key}`)
      .expect(401);
  });

  it('should seed the administrator from the environment and let only admins change roles', async () => {
    const admin = await signIn(app, adminEmail, adminPassword);
    const user = await newUser(app);
    const forbidden = await app
      .http()
      .put(`/api/v1/auth/users/${user.id}/roles`)
      .set(user.auth)
      .send({ roles: ['admin'] })
      .expect(403);
    expect(forbidden.body.type).toMatch(/forbidden$/);
    await app
      .http()
      .put(`/api/v1/auth/users/${user.id}/roles`)
      .set(admin.auth)
      .send({ roles: ['superuser'] })
      .expect(400);
    await app
      .http()
      .put('/api/v1/auth/users/000000000000000000000000/roles')
      .set(admin.auth)
      .send({ roles: ['user'] })
      .expect(404);
    const promoted = await app
      .http()
      .put(`/api/v1/auth/users/${user.id}/roles`)
      .set(admin.auth)
      .send({ roles: ['user', 'admin'] })
      .expect(200);
    expect(promoted.body.roles).toEqual(['user', 'admin']);
  });

  it('should answer 403 when registration is switched off', async () => {
    const closed = await startTestApp({ AUTH_REGISTRATION_ENABLED: 'false' });
    try {
      const res = await closed
        .http()
        .post('/api/v1/auth/register')
        .send({ email: 'x@example.com', name: 'x', password: 'password123' })
        .expect(403);
      expect(res.body.type).toMatch(/registration-disabled$/);
    } finally {
      await closed.close();
    }
  });
});
