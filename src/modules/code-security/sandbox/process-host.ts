import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/**
 * A small long-lived Node process that starts and supervises sandboxed programs for the API.
 *
 * Why: `child_process.spawn` forks the calling process, and forking the API (hundreds of MB of
 * heap) blocks its event loop for tens of milliseconds on a busy 2-core machine. Forking this
 * 40 MB helper instead keeps the API responsive. The helper gets an empty environment, knows
 * nothing of the service, and kills every program it started when the API goes away.
 *
 * Protocol: one JSON line per job on stdin, one JSON line per finished job on stdout.
 */
const HOST_SOURCE = String.raw`
'use strict';
const { spawn } = require('node:child_process');
const { createInterface } = require('node:readline');
const running = new Set();
const send = (message) => process.stdout.write(JSON.stringify(message) + '\n');
const shutdown = () => { for (const kill of running) kill(); process.exit(0); };
process.on('SIGTERM', shutdown);
createInterface({ input: process.stdin }).on('line', (line) => {
  let job;
  try { job = JSON.parse(line); } catch { return; }
  run(job);
}).on('close', shutdown);

function run(job) {
  const started = Date.now();
  const names = ['stdout', 'stderr', 'report'];
  const chunks = { stdout: [], stderr: [], report: [] };
  const size = { stdout: 0, stderr: 0, report: 0 };
  const over = { stdout: false, stderr: false, report: false };
  let wallTimeout = false;
  let done = false;
  let child;
  const finish = (message) => {
    if (done) return;
    done = true;
    send({ id: job.id, ...message });
  };
  try {
    child = spawn(job.file, job.args, { uid: job.uid, gid: job.gid, env: {}, stdio: ['pipe', 'pipe', 'pipe', 'pipe'], cwd: '/' });
  } catch (error) {
    finish({ error: String((error && error.message) || error) });
    return;
  }
  const kill = () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); };
  running.add(kill);
  const timer = setTimeout(() => { wallTimeout = true; kill(); }, job.wallMs);
  const collect = (name) => (chunk) => {
    const room = job.caps[name] - size[name];
    if (chunk.length > room) {
      if (room > 0) { chunks[name].push(chunk.subarray(0, room)); size[name] += room; }
      over[name] = true;
      kill();
      return;
    }
    chunks[name].push(chunk);
    size[name] += chunk.length;
  };
  child.stdout.on('data', collect('stdout'));
  child.stderr.on('data', collect('stderr'));
  child.stdio[3].on('data', collect('report'));
  child.stdin.on('error', () => {});
  child.stdin.end(job.input);
  child.on('error', (error) => {
    clearTimeout(timer);
    running.delete(kill);
    finish({ error: error.message });
  });
  child.on('close', (code, signal) => {
    clearTimeout(timer);
    running.delete(kill);
    const text = {};
    for (const name of names) text[name] = Buffer.concat(chunks[name], size[name]).toString('utf8');
    finish({ code, signal, wallTimeout, over, ...text, durationMs: Date.now() - started });
  });
}
`;

export interface HostedJob {
  file: string;
  args: string[];
  uid: number;
  gid: number;
  /** Written to the program's stdin, which is then closed. */
  input: string;
  /** The program is killed after this long. */
  wallMs: number;
  /** Bytes kept of stdout, stderr and fd 3; past a cap the program is killed. */
  caps: { stdout: number; stderr: number; report: number };
}

export interface HostedResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  wallTimeout: boolean;
  over: { stdout: boolean; stderr: boolean; report: boolean };
  stdout: string;
  stderr: string;
  report: string;
  durationMs: number;
}

type HostChild = ChildProcessByStdio<Writable, Readable, null>;

export class ProcessHost {
  private child?: HostChild;
  private readonly pending = new Map<
    number,
    { resolve: (result: HostedResult) => void; reject: (error: Error) => void }
  >();
  private nextId = 1;

  run(job: HostedJob): Promise<HostedResult> {
    const child = this.ensureStarted();
    const id = this.nextId++;
    return new Promise<HostedResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.setReferenced(child, true);
      child.stdin.write(`${JSON.stringify({ id, ...job })}\n`);
    });
  }

  /** Stops the helper; it kills whatever it still runs. */
  close(): void {
    const child = this.child;
    this.child = undefined;
    if (!child) return;
    child.stdin.end();
    child.kill('SIGTERM');
  }

  private ensureStarted(): HostChild {
    if (this.child) return this.child;
    const child = spawn(process.execPath, ['-e', HOST_SOURCE], {
      env: {},
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    this.child = child;
    createInterface({ input: child.stdout }).on('line', (line) => this.settle(child, line));
    child.stdin.on('error', () => undefined);
    child.on('exit', () => {
      if (this.child === child) this.child = undefined;
      const error = new Error('the sandbox process host exited');
      for (const { reject } of this.pending.values()) reject(error);
      this.pending.clear();
    });
    child.on('error', () => undefined);
    this.setReferenced(child, false);
    return child;
  }

  private settle(child: HostChild, line: string): void {
    let message: Partial<HostedResult> & { id?: number; error?: string };
    try {
      message = JSON.parse(line) as typeof message;
    } catch {
      return;
    }
    const waiter = message.id === undefined ? undefined : this.pending.get(message.id);
    if (!waiter || message.id === undefined) return;
    this.pending.delete(message.id);
    if (this.pending.size === 0) this.setReferenced(child, false);
    if (message.error !== undefined) waiter.reject(new Error(message.error));
    else waiter.resolve(message as HostedResult);
  }

  /** The helper keeps the API's process alive only while it runs something. */
  private setReferenced(child: HostChild, referenced: boolean): void {
    for (const handle of [
      child,
      child.stdout as unknown as Socket,
      child.stdin as unknown as Socket,
    ]) {
      if (referenced) handle.ref?.();
      else handle.unref?.();
    }
  }
}
