import { newUser, signIn } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

describe('auth: registration, password grant, refresh rotation', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('should register a user with a lower-cased e-mail and never return the password hash', async () => {
    const res = await app
      .http()
      .post('/api/v1/auth/register')
      .send({ email: 'Mixed.Case@Example.com', name: 'Mixed', password: 'long enough password' })
      .expect(201);
    expect(res.body).toMatchObject({
      email: 'mixed.case@example.com',
      name: 'Mixed',
      roles: ['user'],
    });
    expect(res.body).not.toHaveProperty('passwordHash');
  });

  it('should answer 409 when the e-mail is taken, whatever its case', async () => {
    const user = await newUser(app);
    const res = await app
      .http()
      .post('/api/v1/auth/register')
      .send({ email: user.email.toUpperCase(), name: 'Again', password: 'another password' })
      .expect(409);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.type).toMatch(/email-taken$/);
  });

  it.each([
    [{ email: 'not-an-email', name: 'x', password: 'password123' }, 'email'],
    [{ email: 'a@example.com', name: 'x', password: 'short' }, 'password'],
    [{ email: 'a@example.com', name: 'x', password: 'ä'.repeat(40) }, 'password'],
    [{ email: 'a@example.com', name: '', password: 'password123' }, 'name'],
    [{ email: 'a@example.com', name: 'x', password: 'password123', isAdmin: true }, 'isAdmin'],
  ])('should reject registration %j naming the field %s', async (body, field) => {
    const res = await app.http().post('/api/v1/auth/register').send(body).expect(400);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(res.body.requestId).toEqual(expect.any(String));
  });

  it('should issue tokens for the password grant as a form or as JSON', async () => {
    const user = await newUser(app);
    const form = await app
      .http()
      .post('/api/v1/auth/token')
      .type('form')
      .send({
        grant_type: 'password',
        username: user.email,
        password: user.password,
        scope: '',
        client_id: 'swagger',
      })
      .expect(200);
    expect(form.headers['cache-control']).toBe('no-store');
    expect(form.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const json = await app
      .http()
      .post('/api/v1/auth/token')
      .send({ grant_type: 'password', username: user.email.toUpperCase(), password: user.password })
      .expect(200);
    const claims = JSON.parse(
      Buffer.from(json.body.access_token.split('.')[1], 'base64url').toString(),
    );
    expect(claims).toMatchObject({ sub: user.id, email: user.email, roles: ['user'] });
    expect(Object.keys(claims).sort()).toEqual(['email', 'exp', 'iat', 'jti', 'roles', 'sub']);
    expect(claims.exp - claims.iat).toBe(3600);
  });

  it('should answer the same invalid_grant for an unknown user and a wrong password', async () => {
    const user = await newUser(app);
    const unknown = await app
      .http()
      .post('/api/v1/auth/token')
      .type('form')
      .send({ grant_type: 'password', username: 'nobody@example.com', password: 'whatever123' })
      .expect(400);
    const wrong = await app
      .http()
      .post('/api/v1/auth/token')
      .type('form')
      .send({ grant_type: 'password', username: user.email, password: 'wrong password' })
      .expect(400);
    expect(unknown.body.error).toBe('invalid_grant');
    const strip = ({ instance: _i, requestId: _r, ...rest }: Record<string, unknown>) => rest;
    expect(strip(wrong.body)).toEqual(strip(unknown.body));
  });

  it.each([
    [{ username: 'a@example.com', password: 'x' }, 'invalid_request'],
    [{ grant_type: 'password', username: 'a@example.com' }, 'invalid_request'],
    [{ grant_type: 'client_credentials' }, 'unsupported_grant_type'],
    [{ grant_type: 'refresh_token' }, 'invalid_request'],
  ])('should refuse the token request %j with %s', async (body, error) => {
    const res = await app.http().post('/api/v1/auth/token').type('form').send(body).expect(400);
    expect(res.body).toMatchObject({ error, status: 400 });
  });

  it('should rotate refresh tokens and revoke the family when a spent one is replayed', async () => {
    const user = await newUser(app);
    const first = await app
      .http()
      .post('/api/v1/auth/refresh')
      .send({ refresh_token: user.refreshToken })
      .expect(200);
    expect(first.body.refresh_token).not.toBe(user.refreshToken);
    // The token endpoint's refresh_token grant is the same operation.
    const second = await app
      .http()
      .post('/api/v1/auth/token')
      .type('form')
      .send({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token })
      .expect(200);

    const replay = await app
      .http()
      .post('/api/v1/auth/refresh')
      .send({ refresh_token: user.refreshToken })
      .expect(400);
    expect(replay.body.error).toBe('invalid_grant');
    // The whole family is gone, including the newest token.
    const after = await app
      .http()
      .post('/api/v1/auth/refresh')
      .send({ refresh_token: second.body.refresh_token })
      .expect(400);
    expect(after.body.detail).toMatch(/revoked/);
  });

  it('should let exactly one of several concurrent refreshes with the same token win', async () => {
    const user = await newUser(app);
    const attempts = await Promise.all(
      Array.from({ length: 8 }, () =>
        app.http().post('/api/v1/auth/refresh').send({ refresh_token: user.refreshToken }),
      ),
    );
    const statuses = attempts.map((res) => res.status).sort();
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 400)).toHaveLength(7);
  });

  it('should refuse an unknown refresh token', async () => {
    const res = await app
      .http()
      .post('/api/v1/auth/refresh')
      .send({ refresh_token: 'nope' })
      .expect(400);
    expect(res.body.error).toBe('invalid_grant');
  });

  it('should return the signed-in user from /auth/me', async () => {
    const user = await newUser(app);
    const res = await app.http().get('/api/v1/auth/me').set(user.auth).expect(200);
    expect(res.body).toMatchObject({ id: user.id, email: user.email, roles: ['user'] });
  });

  it('should revoke the access token and the session on logout', async () => {
    const user = await newUser(app);
    await app
      .http()
      .post('/api/v1/auth/logout')
      .set(user.auth)
      .send({ refresh_token: user.refreshToken })
      .expect(204);
    const res = await app.http().get('/api/v1/auth/me').set(user.auth).expect(401);
    expect(res.headers['www-authenticate']).toMatch(/error="invalid_token"/);
    expect(res.body.detail).toMatch(/revoked/);
    await app
      .http()
      .post('/api/v1/auth/refresh')
      .send({ refresh_token: user.refreshToken })
      .expect(400);
  });

  it('should change the password, refuse the old one and sign out other sessions', async () => {
    const user = await newUser(app);
    const other = await signIn(app, user.email, user.password);
    await app
      .http()
      .post('/api/v1/auth/password')
      .set(user.auth)
      .send({ currentPassword: 'wrong one', newPassword: 'brand new password' })
      .expect(400);
    await app
      .http()
      .post('/api/v1/auth/password')
      .set(user.auth)
      .send({ currentPassword: user.password, newPassword: 'brand new password' })
      .expect(204);
    await app.http().get('/api/v1/auth/me').set(user.auth).expect(401);
    await app
      .http()
      .post('/api/v1/auth/refresh')
      .send({ refresh_token: other.refreshToken })
      .expect(400);
    await app
      .http()
      .post('/api/v1/auth/token')
      .type('form')
      .send({ grant_type: 'password', username: user.email, password: user.password })
      .expect(400);
    await signIn(app, user.email, 'brand new password');
  });

  it('should write logins, failed logins and password changes to the audit log with the request id', async () => {
    const user = await newUser(app);
    await app
      .http()
      .post('/api/v1/auth/token')
      .set('X-Request-ID', 'audit-check-1')
      .type('form')
      .send({ grant_type: 'password', username: user.email, password: 'bad password' })
      .expect(400);
    const events = await app.app
      .get(await import('src/core/audit/audit.service').then((m) => m.AuditService))
      .list(user.id, 0, 50);
    const actions = events.items.map((event) => `${event.action}:${event.outcome}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        'user.registered:success',
        'auth.login:success',
        'auth.login:failure',
      ]),
    );
    expect(events.items.find((event) => event.outcome === 'failure')?.requestId).toBe(
      'audit-check-1',
    );
  });
});
