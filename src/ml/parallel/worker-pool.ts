import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { TrainingAbortedError } from '../trees/types';

/**
 * Path of a compiled worker entry beside this file (`dist/src/ml/parallel/<name>.js`), or
 * undefined when only TypeScript sources exist (under ts-jest): callers then run in-thread.
 */
export function resolveWorkerScript(name: string): string | undefined {
  const candidate = join(__dirname, `${name}.js`);
  return existsSync(candidate) ? candidate : undefined;
}

/** Worker count: at most the cores available and the number of tasks. */
export function defaultWorkers(tasks: number): number {
  return Math.max(1, Math.min(tasks, availableParallelism()));
}

/** Messages a worker may send: progress ticks, then one result or one error. */
export type WorkerMessage<T> =
  | { readonly type: 'progress' }
  | { readonly type: 'done'; readonly result: T }
  | {
      readonly type: 'error';
      readonly name: string;
      readonly message: string;
      readonly stack?: string;
    };

/**
 * Runs one worker per payload (`workerData`) and resolves with their results in order. A worker
 * that throws, exits early or is aborted rejects the whole run and the others are terminated.
 */
export function runWorkers<T>(
  script: string,
  payloads: readonly unknown[],
  options: { signal?: AbortSignal; onProgress?: () => void } = {},
): Promise<T[]> {
  return new Promise<T[]>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new TrainingAbortedError());
      return;
    }
    const results: (T | undefined)[] = new Array<T | undefined>(payloads.length);
    let remaining = payloads.length;
    let settled = false;
    const workers: Worker[] = [];
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      for (const worker of workers) void worker.terminate();
      if (error) reject(error);
      else resolve(results as T[]);
    };
    const onAbort = (): void => finish(new TrainingAbortedError());
    options.signal?.addEventListener('abort', onAbort, { once: true });
    payloads.forEach((payload, i) => {
      const worker = new Worker(script, { workerData: payload });
      workers.push(worker);
      worker.on('message', (message: WorkerMessage<T>) => {
        if (message.type === 'progress') options.onProgress?.();
        else if (message.type === 'done') {
          results[i] = message.result;
          if (--remaining === 0) finish();
        } else {
          const error = new Error(message.message);
          error.name = message.name;
          if (message.stack) error.stack = message.stack;
          finish(error);
        }
      });
      worker.on('error', (error: Error) => finish(error));
      worker.on('exit', (code) => {
        if (results[i] === undefined && !settled)
          finish(new Error(`worker exited with code ${code}`));
      });
    });
  });
}

/** Every ArrayBuffer behind the typed arrays of an object tree (for postMessage transfer). */
export function transferablesOf(
  value: unknown,
  out: ArrayBuffer[] = [],
  seen = new Set<unknown>(),
): ArrayBuffer[] {
  if (value === null || typeof value !== 'object' || seen.has(value)) return out;
  seen.add(value);
  if (ArrayBuffer.isView(value)) {
    const buffer = value.buffer;
    if (buffer instanceof ArrayBuffer && !out.includes(buffer)) out.push(buffer);
    return out;
  }
  for (const item of Object.values(value as Record<string, unknown>))
    transferablesOf(item, out, seen);
  return out;
}
