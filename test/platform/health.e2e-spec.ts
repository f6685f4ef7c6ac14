import { type ChildProcess, spawn } from 'node:child_process';
import { type FakeOpenAi, startFakeOpenAi } from '../support/fake-openai';
import { freePort } from '../support/net';
import { stopProcess } from '../support/processes';
import { startTestApp, type TestApp } from '../support/test-app';

function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Ready to accept connections')) resolve(child);
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
}

describe('health', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('should answer liveness without authentication', async () => {
    await app.http().get('/health').expect(200, { status: 'ok' });
  });

  it('should list every component with its status and latency when ready', async () => {
    const res = await app.http().get('/health/ready').expect(200);
    expect(res.body.status).toBe('ok');
    for (const name of ['mongodb', 'redis', 's3']) {
      expect(res.body.components[name]).toMatchObject({
        status: 'up',
        critical: true,
        latency_ms: expect.any(Number),
      });
    }
    expect(res.body.components.openai).toMatchObject({ status: 'not_configured', critical: false });
    expect(res.body.components.worker).toMatchObject({
      critical: false,
      count: expect.any(Number),
    });
  });
});

describe('health with a Redis that goes away and comes back', () => {
  let redis: ChildProcess;
  let app: TestApp;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    app = await startTestApp({ REDIS_URL: `redis://127.0.0.1:${port}` });
  });
  afterAll(async () => {
    await stopProcess(redis);
    await app.close();
  });

  it('should answer 503 within 5 s while Redis is down and 200 again once it is back', async () => {
    await app.http().get('/health/ready').expect(200);
    await stopProcess(redis);

    const started = Date.now();
    const down = await app.http().get('/health/ready').expect(503);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(down.body.status).toBe('error');
    expect(down.body.components.redis.status).toBe('down');
    expect(down.body.components.mongodb.status).toBe('up');
    expect(down.body.components.s3.status).toBe('up');

    redis = await startRedis(port);
    let status = 0;
    for (let attempt = 0; attempt < 40 && status !== 200; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      status = (await app.http().get('/health/ready')).status;
    }
    expect(status).toBe(200);
  });
});

describe('health with an OpenAI-compatible service', () => {
  let openai: FakeOpenAi;
  let app: TestApp;
  let strict: TestApp;

  beforeAll(async () => {
    openai = await startFakeOpenAi();
    const env = {
      OPENAI_BASE_URL: openai.baseUrl,
      OPENAI_API_KEY: 'sk-test',
      OPENAI_RETRIES: '0',
      OPENAI_BREAKER_FAILURES: '100',
    };
    app = await startTestApp(env);
    strict = await startTestApp({ ...env, HEALTH_CRITICAL: 'mongodb,redis,s3,openai' });
  });
  afterAll(async () => {
    await app.close();
    await strict.close();
    await openai.close();
  });

  afterEach(() => openai.setMode('ok'));

  it('should report OpenAI up after calling GET /v1/models with the key', async () => {
    const res = await app.http().get('/health/ready').expect(200);
    expect(res.body.components.openai).toMatchObject({
      status: 'up',
      critical: false,
      breaker: 'closed',
    });
    expect(
      openai.requests.some((r) => r.path === '/v1/models' && r.authorization === 'Bearer sk-test'),
    ).toBe(true);
  });

  it('should report OpenAI down without failing readiness unless it is configured as critical', async () => {
    openai.setMode('error');
    const lenient = await app.http().get('/health/ready').expect(200);
    expect(lenient.body.components.openai).toMatchObject({ status: 'down', critical: false });
    const critical = await strict.http().get('/health/ready').expect(503);
    expect(critical.body.components.openai).toMatchObject({ status: 'down', critical: true });
  });

  it('should answer within 5 s when OpenAI hangs', async () => {
    openai.setMode('hang');
    const started = Date.now();
    const res = await app.http().get('/health/ready').expect(200);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(res.body.components.openai.status).toBe('down');
    expect(res.body.components.openai.error).toMatch(/3000 ms/);
  });
});
