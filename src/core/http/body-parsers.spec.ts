import { fastify, type FastifyInstance } from 'fastify';
import { registerBodyParsers } from './body-parsers';

/** A bare Fastify echoing what the parsers made of the body (and whether it was left unread). */
async function echoServer(limit = '1kb'): Promise<FastifyInstance> {
  const app = fastify();
  registerBodyParsers(app, limit);
  app.post('/', async (request) => ({ body: request.body ?? null, unread: !request.raw.complete }));
  await app.ready();
  return app;
}

describe('registerBodyParsers', () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = await echoServer();
  });
  afterAll(async () => {
    await app.close();
  });

  const post = (contentType: string, payload: string) =>
    app.inject({ method: 'POST', url: '/', headers: { 'content-type': contentType }, payload });

  it('should parse JSON objects and arrays, also as application/*+json', async () => {
    expect((await post('application/json', ' {"a":1}')).json()).toMatchObject({ body: { a: 1 } });
    expect((await post('application/merge-patch+json; charset=utf-8', '[1]')).json()).toMatchObject(
      { body: [1] },
    );
  });

  it('should read an empty JSON body as {} and refuse a bare JSON value, as body-parser did', async () => {
    expect((await post('application/json', '')).json()).toMatchObject({ body: {} });
    expect((await post('application/json', '123')).statusCode).toBe(400);
    expect((await post('application/json', '{"a":')).statusCode).toBe(400);
  });

  it('should parse URL-encoded forms into plain strings and arrays', async () => {
    const res = await post('application/x-www-form-urlencoded', 'grant_type=password&x=1&x=2');
    expect(res.json()).toMatchObject({ body: { grant_type: 'password', x: ['1', '2'] } });
  });

  it('should answer 413 above the limit', async () => {
    expect((await post('application/json', `{"a":"${'x'.repeat(2000)}"}`)).statusCode).toBe(413);
    expect(
      (await post('application/x-www-form-urlencoded', `a=${'x'.repeat(2000)}`)).statusCode,
    ).toBe(413);
  });

  it('should leave any other body unread, multipart uploads and text included', async () => {
    for (const type of ['multipart/form-data; boundary=x', 'text/plain', 'text/csv']) {
      expect((await post(type, 'a'.repeat(4000))).json()).toEqual({ body: null, unread: true });
    }
  });

  it('should refuse a limit that is not a size', () => {
    expect(() => registerBodyParsers(fastify(), 'lots')).toThrow(/BODY_LIMIT/);
  });
});
