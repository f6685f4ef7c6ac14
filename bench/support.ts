import { type ChildProcess, spawn } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { request, Agent } from 'node:http';
import { join } from 'node:path';

/** The checkout (NML_ROOT when this file runs from a private build made by scripts/build-to.sh). */
export const ROOT = process.env.NML_ROOT ?? join(__dirname, '..', '..');
/** The build this benchmark belongs to: dist/, or a private one. */
const BUILD = join(__dirname, '..');

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export function fmt(value: number, digits = 2): string {
  return value.toFixed(digits);
}

/** Starts the compiled API as its own process (logs discarded) and waits for liveness. */
export async function startApi(port: number, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--no-node-snapshot', join(BUILD, 'src', 'main.js')], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let attempt = 0; attempt < 100; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    try {
      const res = await httpCall(new Agent({ keepAlive: false }), port, 'GET', '/health');
      if (res.status === 200) return child;
    } catch {
      // not listening yet
    }
  }
  child.kill();
  throw new Error('API did not start');
}

export interface CallResult {
  status: number;
  body: string;
}

export function httpCall(
  agent: Agent,
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<CallResult> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
      );
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

/** Registers a fresh user on the API under test and returns its bearer header. */
export async function signUpBenchUser(port: number): Promise<{ Authorization: string }> {
  const agent = new Agent({ keepAlive: true });
  const email = `bench${Date.now()}@example.com`;
  const json = { 'content-type': 'application/json' };
  const password = 'bench password';
  await httpCall(
    agent,
    port,
    'POST',
    '/api/v1/auth/register',
    json,
    JSON.stringify({ email, name: 'Bench', password }),
  );
  const token = await httpCall(
    agent,
    port,
    'POST',
    '/api/v1/auth/token',
    json,
    JSON.stringify({ grant_type: 'password', username: email, password }),
  );
  agent.destroy();
  return {
    Authorization: `Bearer ${(JSON.parse(token.body) as { access_token: string }).access_token}`,
  };
}

/** Starts the compiled worker of the same build (logs discarded) and waits until it consumes. */
export async function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--no-node-snapshot', join(BUILD, 'src', 'worker.js')], {
    // Info level: readiness is read from its "processing …" log line.
    env: { ...process.env, ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`worker did not start:\n${output}`)), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('processing ')) {
        clearTimeout(timer);
        child.stdout?.removeAllListeners('data');
        child.stdout?.resume(); // keep draining, discard
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}:\n${output}`)));
  });
  child.removeAllListeners('exit');
  return child;
}

/** Streams a local file to POST /api/v1/datasets as multipart; returns status and body. */
export function uploadFile(
  agent: Agent,
  port: number,
  auth: Record<string, string>,
  path: string,
  fileName: string,
): Promise<CallResult> {
  const boundary = `bench${Date.now()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const length = head.length + statSync(path).size + tail.length;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/v1/datasets',
        agent,
        headers: {
          ...auth,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': length,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.on('error', reject);
    req.write(head);
    const file = createReadStream(path);
    file.pipe(req, { end: false });
    file.on('end', () => req.end(tail));
  });
}

/** Exports the local services' settings (.data/services.env) unless already set. */
export function loadServiceEnv(): void {
  const file = join(ROOT, '.data', 'services.env');
  if (!existsSync(file)) return;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^export ([A-Z0-9_]+)='(.*)'$/.exec(line.trim());
    if (match && process.env[match[1]] === undefined) process.env[match[1]] = match[2];
  }
}
