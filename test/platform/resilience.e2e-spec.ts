import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startDroppingServer } from '../support/net';
import { stopProcess } from '../support/processes';
import { startTestApp, type TestApp } from '../support/test-app';

const LAUNCHER = join(__dirname, '..', '..', 'scripts', 'services', 's3-server.mjs');

function startS3(port: number, directory: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [LAUNCHER], {
    env: { ...process.env, S3_PORT: String(port), S3_DIRECTORY: directory },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      if (chunk.toString().includes('listening on')) resolve(child);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`s3 server exited with ${code}`)));
  });
}

describe('circuit breaker around S3', () => {
  let app: TestApp;
  let s3: ChildProcess;
  let port: number;
  const directory = mkdtempSync(join(tmpdir(), 'nml-s3-'));

  beforeAll(async () => {
    port = await freePort();
    s3 = await startS3(port, directory);
    app = await startTestApp({
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_RETRIES: '1',
      S3_BREAKER_FAILURES: '3',
      S3_BREAKER_HALF_OPEN_MS: '1500',
      S3_TIMEOUT_MS: '1000',
    });
  });
  afterAll(async () => {
    await stopProcess(s3);
    await app.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const breakerMetric = async () =>
    /narrativeml_circuit_breaker_state\{dependency="s3"\} (\d)/.exec(
      (await app.http().get('/metrics').expect(200)).text,
    )?.[1];

  it('should fail fast once S3 is down, show the open breaker, and recover by itself', async () => {
    const ready = await app.http().get('/health/ready').expect(200);
    expect(ready.body.components.s3).toMatchObject({ status: 'up', breaker: 'closed' });
    expect(await breakerMetric()).toBe('0');

    await stopProcess(s3);
    const broken = await startDroppingServer(port);
    try {
      // Each readiness check is one S3 call (with one retry) until the breaker opens.
      for (let i = 0; i < 3; i++) await app.http().get('/health/ready').expect(503);
      const attemptsWhenOpened = broken.connections();
      expect(attemptsWhenOpened).toBeGreaterThanOrEqual(3);

      const started = Date.now();
      const open = await app.http().get('/health/ready').expect(503);
      expect(Date.now() - started).toBeLessThan(500);
      expect(open.body.components.s3).toMatchObject({ status: 'down', breaker: 'open' });
      expect(open.body.components.s3.error).toMatch(/failing fast/);
      for (let i = 0; i < 5; i++) await app.http().get('/health/ready').expect(503);
      expect(broken.connections()).toBe(attemptsWhenOpened);
      expect(await breakerMetric()).toBe('2');
    } finally {
      await broken.close();
    }

    s3 = await startS3(port, directory);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    const recovered = await app.http().get('/health/ready').expect(200);
    expect(recovered.body.components.s3).toMatchObject({ status: 'up', breaker: 'closed' });
    expect(await breakerMetric()).toBe('0');
  });
});
