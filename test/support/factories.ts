import type { TestApp } from './test-app';
import { uniqueName } from './test-app';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  auth: { Authorization: string };
}

/** Registers a fresh user and signs them in. */
export async function newUser(
  app: TestApp,
  overrides: { email?: string; password?: string } = {},
): Promise<TestUser> {
  const email = overrides.email ?? `${uniqueName('user')}@example.com`;
  const password = overrides.password ?? 'correct horse battery';
  const registered = await app
    .http()
    .post('/api/v1/auth/register')
    .send({ email, name: 'Test User', password })
    .expect(201);
  const tokens = await signIn(app, email, password);
  return { id: registered.body.id, email, password, ...tokens };
}

export async function signIn(
  app: TestApp,
  email: string,
  password: string,
): Promise<Pick<TestUser, 'accessToken' | 'refreshToken' | 'auth'>> {
  const res = await app
    .http()
    .post('/api/v1/auth/token')
    .type('form')
    .send({ grant_type: 'password', username: email, password })
    .expect(200);
  return {
    accessToken: res.body.access_token,
    refreshToken: res.body.refresh_token,
    auth: { Authorization: `Bearer ${res.body.access_token}` },
  };
}
