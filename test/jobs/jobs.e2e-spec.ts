import type { ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { MongoClient } from 'mongodb';
import { JobsService } from 'src/core/jobs';
import { newUser, type TestUser } from '../support/factories';
import { startTestApp, type TestApp, uniqueName } from '../support/test-app';
import { stopProcess } from '../support/processes';
import { startWorker, waitFor } from '../support/worker-process';

interface SseEvent {
  event: string;
  data: { state: string; progress: number; stage?: string };
}

/** Reads a server-sent event stream until the server ends it. */
function readEvents(url: string, headers: Record<string, string>): Promise<SseEvent[]> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { headers: { ...headers, Accept: 'text/event-stream' } },
      (res) => {
        if (res.statusCode !== 200) return reject(new Error(`events answered ${res.statusCode}`));
        let buffer = '';
        res.on('data', (chunk: Buffer) => (buffer += chunk.toString()));
        res.on('end', () => {
          const events = buffer
            .split('\n\n')
            .filter((block) => block.includes('data:'))
            .map((block) => {
              const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
              const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? '{}') as SseEvent['data'];
              return { event, data };
            });
          resolve(events);
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('jobs', () => {
  let app: TestApp;
  let worker: ChildProcess;
  let user: TestUser;
  let jobs: JobsService;
  const fastStalls = {
    JOBS_LOCK_DURATION_MS: '2000',
    JOBS_STALLED_INTERVAL_MS: '1000',
    JOBS_ATTEMPTS: '2',
  };

  beforeAll(async () => {
    app = await startTestApp(fastStalls);
    worker = await startWorker(app, fastStalls);
    user = await newUser(app);
    jobs = app.app.get(JobsService);
  });
  afterAll(async () => {
    await stopProcess(worker);
    await app.close();
  });

  const getJob = async (id: string) =>
    (await app.http().get(`/api/v1/jobs/${id}`).set(user.auth).expect(200)).body as Record<
      string,
      unknown
    >;

  it('should run a job through queued, active and completed with progress visible over SSE', async () => {
    const job = await jobs.enqueue('system.probe', user.id, { steps: 5, stepMs: 300 });
    expect(job.state).toBe('queued');
    const events = await readEvents(`${app.url}/api/v1/jobs/${job._id}/events`, user.auth);
    const last = events[events.length - 1];
    expect(last).toMatchObject({ event: 'end', data: { state: 'completed', progress: 1 } });
    const progress = events.filter((e) => e.data.state === 'active').map((e) => e.data.progress);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);

    const done = await getJob(job._id);
    expect(done).toMatchObject({ state: 'completed', attempts: 1, result: { effect: job._id } });
    expect(done.durationMs).toEqual(expect.any(Number));
    const list = await app
      .http()
      .get('/api/v1/jobs?kind=system.probe&state=completed')
      .set(user.auth)
      .expect(200);
    expect(list.body.items.map((item: { id: string }) => item.id)).toContain(job._id);
  });

  it('should hide a job from other users', async () => {
    const job = await jobs.enqueue('system.probe', user.id, { steps: 1, stepMs: 1 });
    const other = await newUser(app);
    await app.http().get(`/api/v1/jobs/${job._id}`).set(other.auth).expect(404);
    await app.http().post(`/api/v1/jobs/${job._id}/cancel`).set(other.auth).expect(404);
  });

  it('should stop a running job at its next checkpoint when cancelled', async () => {
    const job = await jobs.enqueue('system.probe', user.id, { steps: 100, stepMs: 100 });
    await waitFor(
      () => getJob(job._id),
      (j) => j.state === 'active' && (j.progress as number) > 0,
    );
    await app.http().post(`/api/v1/jobs/${job._id}/cancel`).set(user.auth).expect(202);
    const cancelled = await waitFor(
      () => getJob(job._id),
      (j) => j.state === 'cancelled',
      10_000,
    );
    expect(cancelled.progress).toBeLessThan(1);
    await app.http().post(`/api/v1/jobs/${job._id}/cancel`).set(user.auth).expect(409);
    const logs = await app.http().get(`/api/v1/jobs/${job._id}/logs`).set(user.auth).expect(200);
    expect(logs.body.items.map((line: { message: string }) => line.message)).toContain(
      'cancelled at a checkpoint',
    );
  });

  it('should mark a job failed with its reason once its attempts are used up', async () => {
    const job = await jobs.enqueue('system.probe', user.id, {
      steps: 1,
      stepMs: 1,
      failWith: 'disk on fire',
    });
    const failed = await waitFor(
      () => getJob(job._id),
      (j) => j.state === 'failed',
      20_000,
    );
    expect(failed).toMatchObject({ attempts: 2, error: { reason: 'disk on fire' } });
  });

  it('should finish a job exactly once after its worker is killed mid-run', async () => {
    const effectKey = uniqueName('effect');
    const job = await jobs.enqueue('system.probe', user.id, { steps: 20, stepMs: 150, effectKey });
    await waitFor(
      () => getJob(job._id),
      (j) => j.state === 'active' && (j.progress as number) >= 0.2,
    );
    await stopProcess(worker, 'SIGKILL');
    worker = await startWorker(app, fastStalls);
    const done = await waitFor(
      () => getJob(job._id),
      (j) => j.state === 'completed',
      40_000,
      250,
    );
    expect(done.attempts).toBeGreaterThanOrEqual(2);
    const client = await MongoClient.connect(app.config.mongo.uri);
    try {
      expect(
        await client
          .db()
          .collection('probe_effects')
          .countDocuments({ _id: effectKey as never }),
      ).toBe(1);
    } finally {
      await client.close();
    }
  });

  it('should keep CPU-heavy work off the event loop so the job lock is renewed', async () => {
    // Each step burns 2.5 s of CPU, longer than the 2 s lock: a blocked loop would stall the job.
    const job = await jobs.enqueue('system.probe', user.id, { steps: 2, stepMs: 2500, cpu: true });
    const done = await waitFor(
      () => getJob(job._id),
      (j) => j.state === 'completed',
      30_000,
      250,
    );
    expect(done.attempts).toBe(1);
  });
});

describe('per-user job limit', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({
      JOBS_MAX_UNFINISHED_PER_USER: '2',
      ADMIN_EMAIL: 'ops@example.com',
      ADMIN_PASSWORD: 'ops password 123',
    });
  });
  afterAll(async () => {
    await app.close();
  });

  it('should answer 429 beyond the queued-and-running limit', async () => {
    const token = await app
      .http()
      .post('/api/v1/auth/token')
      .type('form')
      .send({ grant_type: 'password', username: 'ops@example.com', password: 'ops password 123' })
      .expect(200);
    const auth = { Authorization: `Bearer ${token.body.access_token}` };
    // No worker runs for this app: the jobs stay queued.
    await app.http().post('/api/v1/jobs/probe').set(auth).send({ steps: 1, stepMs: 1 }).expect(201);
    await app.http().post('/api/v1/jobs/probe').set(auth).send({ steps: 1, stepMs: 1 }).expect(201);
    const refused = await app
      .http()
      .post('/api/v1/jobs/probe')
      .set(auth)
      .send({ steps: 1, stepMs: 1 })
      .expect(429);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(refused.body.type).toMatch(/too-many-jobs$/);
    const queued = await app.http().get('/api/v1/jobs?state=queued').set(auth).expect(200);
    // Cancelling a queued job frees a slot at once.
    await app.http().post(`/api/v1/jobs/${queued.body.items[0].id}/cancel`).set(auth).expect(202);
    const after = await app
      .http()
      .get(`/api/v1/jobs/${queued.body.items[0].id}`)
      .set(auth)
      .expect(200);
    expect(after.body.state).toBe('cancelled');
    await app.http().post('/api/v1/jobs/probe').set(auth).send({ steps: 1, stepMs: 1 }).expect(201);
  });

  it('should refuse the diagnostic job to non-admins', async () => {
    const user = await newUser(app);
    await app
      .http()
      .post('/api/v1/jobs/probe')
      .set(user.auth)
      .send({ steps: 1, stepMs: 1 })
      .expect(403);
  });
});
