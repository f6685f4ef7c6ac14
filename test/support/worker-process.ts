import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestApp } from './test-app';

/** NML_DIST_DIR points at a private build (scripts/build-to.sh); dist/ otherwise. */
const WORKER = join(
  process.env.NML_DIST_DIR ?? join(__dirname, '..', '..', 'dist'),
  'src',
  'worker.js',
);

/** Runs the compiled worker as its own process against a test app's database and keyspace. */
export async function startWorker(
  app: TestApp,
  env: Record<string, string> = {},
): Promise<ChildProcess> {
  if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run \`npm run build\` first`);
  const child = spawn(process.execPath, ['--no-node-snapshot', WORKER], {
    env: {
      ...process.env,
      APP_PROFILE: 'test',
      LOG_LEVEL: 'info',
      MONGODB_URI: app.config.mongo.uri,
      REDIS_KEY_PREFIX: app.config.redis.keyPrefix,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start:\n${output}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('processing ')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code}:\n${output}`));
    });
  });
  child.removeAllListeners('exit');
  return child;
}

export async function waitFor<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 30_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(
        `condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`,
      );
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
