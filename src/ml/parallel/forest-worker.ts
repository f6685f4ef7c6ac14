/**
 * Worker entry: builds some trees of a forest. Runs as compiled JS (dist/) in a worker thread;
 * `fitRandomForestParallel` falls back to the main thread when this file is not compiled.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { buildForestPart, type ForestJob, type ForestPartResult } from '../forest/random-forest';
import { transferablesOf, type WorkerMessage } from './worker-pool';

export interface ForestWorkerData {
  readonly job: ForestJob;
  readonly treeIndices: Int32Array;
  readonly deadline?: number;
}

if (parentPort) {
  const port = parentPort;
  const input = workerData as ForestWorkerData;
  try {
    const result = buildForestPart(input.job, input.treeIndices, { deadline: input.deadline }, () =>
      port.postMessage({ type: 'progress' } satisfies WorkerMessage<ForestPartResult>),
    );
    port.postMessage(
      { type: 'done', result } satisfies WorkerMessage<ForestPartResult>,
      transferablesOf(result),
    );
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    port.postMessage({
      type: 'error',
      name: e.name,
      message: e.message,
      stack: e.stack,
    } satisfies WorkerMessage<ForestPartResult>);
  }
}
