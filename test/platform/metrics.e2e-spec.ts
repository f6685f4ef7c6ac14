import { newUser } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

describe('/metrics', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('should expose process, HTTP, job, queue, worker and breaker metrics in Prometheus format', async () => {
    const user = await newUser(app);
    await app.http().get(`/api/v1/jobs/some-id`).set(user.auth).expect(404);
    const res = await app.http().get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    for (const [name, type] of [
      ['process_cpu_seconds_total', 'counter'],
      ['process_resident_memory_bytes', 'gauge'],
      ['http_request_duration_seconds', 'histogram'],
      ['http_requests_in_flight', 'gauge'],
      ['narrativeml_jobs', 'gauge'],
      ['narrativeml_queue_jobs', 'gauge'],
      ['narrativeml_job_duration_seconds', 'histogram'],
      ['narrativeml_circuit_breaker_state', 'gauge'],
      ['narrativeml_worker_up', 'gauge'],
    ]) {
      expect(res.text).toContain(`# TYPE ${name} ${type}`);
    }
    // Route templates, never raw ids, label the histogram.
    expect(res.text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/jobs\/:id",status_code="404"\} 1/,
    );
    expect(res.text).not.toContain('some-id');
    expect(res.text).toMatch(/narrativeml_queue_jobs\{queue="system",state="waiting"\} \d+/);
  });

  it('should not require authentication nor count against rate limits', async () => {
    await app.http().get('/metrics').expect(200);
  });
});
