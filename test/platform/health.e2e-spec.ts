import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { startTestApp, type TestApp } from '../support/test-app';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

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

async function stop(child: ChildProcess): Promise<void> {
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
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
    if (redis.exitCode === null) await stop(redis);
    await app.close();
  });

  it('should answer 503 within 5 s while Redis is down and 200 again once it is back', async () => {
    await app.http().get('/health/ready').expect(200);
    await stop(redis);

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
