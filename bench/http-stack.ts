import { Agent } from 'node:http';
import { loadavg } from 'node:os';
import { fmt, httpCall, percentile, signUpBenchUser, startApi } from './support';

/**
 * Issue 2 targets: GET /health requests per second on one API process (≥ 3,000), and the latency
 * the middleware stack (authentication, logging, rate limiting) adds to an authenticated route
 * over a bare one (p99 added < 2 ms). Uses the real services from .data/services.env.
 */
const PORT = 3917;
const RPS_SECONDS = 10;
const CONCURRENCY = 32;
const LATENCY_SAMPLES = 3000;

async function throughput(path: string, headers: Record<string, string>): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const deadline = Date.now() + RPS_SECONDS * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < deadline) {
        const res = await httpCall(agent, PORT, 'GET', path, headers);
        if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
        done++;
      }
    }),
  );
  agent.destroy();
  return done / RPS_SECONDS;
}

/** Sequential requests, alternating the two routes so both see the same machine state. */
async function latencies(
  headers: Record<string, string>,
): Promise<{ bare: number[]; stack: number[] }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const bare: number[] = [];
  const stack: number[] = [];
  for (let i = 0; i < LATENCY_SAMPLES + 200; i++) {
    for (const [path, sink, h] of [
      ['/health', bare, {}],
      ['/api/v1/auth/session', stack, headers],
    ] as const) {
      const started = process.hrtime.bigint();
      const res = await httpCall(agent, PORT, 'GET', path, h);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
      if (i >= 200) sink.push(ms); // the first 200 warm up JIT and connections
    }
  }
  agent.destroy();
  return { bare: bare.sort((a, b) => a - b), stack: stack.sort((a, b) => a - b) };
}

async function main(): Promise<void> {
  const api = await startApi(PORT, {
    APP_PROFILE: 'test',
    LOG_LEVEL: 'info',
    REDIS_KEY_PREFIX: `bench${Date.now()}`,
  });
  // Other work on the machine moves these figures a lot; print the load next to them.
  const loadBefore = loadavg()[0];
  try {
    const auth = await signUpBenchUser(PORT);

    await throughput('/health', {}); // warm-up
    const rps = await throughput('/health', {});
    const authRps = await throughput('/api/v1/auth/session', auth);
    const { bare, stack } = await latencies(auth);
    const p50 = percentile(stack, 50) - percentile(bare, 50);
    const p99 = percentile(stack, 99) - percentile(bare, 99);

    console.log(
      `HTTP stack (one API process, keep-alive, loopback; load ${fmt(loadBefore)} -> ${fmt(loadavg()[0])})`,
    );
    console.log(
      `  GET /health throughput (${CONCURRENCY} concurrent, ${RPS_SECONDS} s): ${fmt(rps, 0)} req/s   target >= 3000`,
    );
    console.log(`  GET /api/v1/auth/session throughput (authenticated):  ${fmt(authRps, 0)} req/s`);
    console.log(
      `  bare route (GET /health)       p50 ${fmt(percentile(bare, 50), 3)} ms  p99 ${fmt(percentile(bare, 99), 3)} ms`,
    );
    console.log(
      `  authenticated route (session)  p50 ${fmt(percentile(stack, 50), 3)} ms  p99 ${fmt(percentile(stack, 99), 3)} ms`,
    );
    console.log(
      `  added by auth + logging + throttling: p50 ${fmt(p50, 3)} ms  p99 ${fmt(p99, 3)} ms   target p99 < 2 ms`,
    );
  } finally {
    api.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
