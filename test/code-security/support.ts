import { Agent, get } from 'node:http';

/**
 * Polls GET /health on the live server while something else runs and reports the slowest answer,
 * to prove executions never block the API's event loop.
 */
export function watchHealth(
  baseUrl: string,
  intervalMs = 25,
): { stop: () => Promise<{ count: number; maxMs: number; p99Ms: number }> } {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const latencies: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      await new Promise<void>((resolve, reject) => {
        get(`${baseUrl}/health`, { agent }, (res) => {
          res.resume();
          res.on('end', () =>
            res.statusCode === 200
              ? resolve()
              : reject(new Error(`health answered ${res.statusCode}`)),
          );
        }).on('error', reject);
      });
      latencies.push(performance.now() - started);
      if (process.env.HEALTH_TRACE && latencies[latencies.length - 1] > 50) {
        process.stderr.write(
          `slow /health: ${Math.round(latencies[latencies.length - 1])} ms at ${new Date().toISOString()}\n`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      agent.destroy();
      const sorted = [...latencies].sort((a, b) => a - b);
      const p99Ms = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0;
      return { count: latencies.length, maxMs: sorted[sorted.length - 1] ?? 0, p99Ms };
    },
  };
}
