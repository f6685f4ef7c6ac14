import { Worker } from 'node:worker_threads';
import { type AutoMlOptions, type AutoMlResult, runAutoMl } from '../automl/automl';
import { type AutoMlModel, deserializeAutoMlModel } from '../automl/deserialize-automl-model';
import type { AutoMlTarget } from '../automl/problem-type';
import { serializeAutoMlModel } from '../automl/serialize-automl-model';
import type { Column, DataMatrix } from '../core/matrix';
import { TrainingAbortedError } from '../trees/types';
import {
  ABORT_FLAG_INDEX,
  type AutoMlResultData,
  type AutoMlWorkerMessage,
  type AutoMlWorkerRequest,
  errorFromMessage,
} from './automl-worker-protocol';
import { resolveWorkerScript } from './worker-pool';

/**
 * After an abort, how long the worker gets to stop by itself (learners check the signal between
 * folds and trees) before it is terminated.
 */
export const AUTOML_ABORT_GRACE_MS = 2000;

export interface AutoMlWorkerOptions extends AutoMlOptions {
  /** Compiled worker entry (default: `automl-worker.js` beside this module, if it exists). */
  readonly workerScript?: string;
}

/** {@link AutoMlResult} with the model loaded back from the `NMLA` bytes the worker sent. */
export interface AutoMlWorkerResult extends Omit<AutoMlResult, 'model'> {
  readonly model: AutoMlModel;
  /** The model as written by `serializeAutoMlModel` (what the worker sent). */
  readonly modelBytes: Uint8Array;
}

/**
 * Runs {@link runAutoMl} in a worker thread so the caller's event loop stays free. The table and
 * target are copied once into SharedArrayBuffers (arrays already shared are passed as they are;
 * the caller's arrays are never detached). `onProgress` receives the worker's progress messages
 * until the run settles or is aborted. Aborting `signal` raises a shared flag and posts an 'abort'
 * message: the worker's own AbortController aborts at the next check in the learners and the promise rejects with
 * {@link TrainingAbortedError}; a worker that has not stopped after
 * {@link AUTOML_ABORT_GRACE_MS} is terminated. The result is plain data plus the model
 * deserialised from the `NMLA` bytes, so it predicts bit for bit like the worker's model.
 * Without a compiled worker script (ts-jest) the run happens in this thread.
 */
export async function runAutoMlInWorker(
  x: DataMatrix,
  target: AutoMlTarget,
  options: AutoMlWorkerOptions = {},
): Promise<AutoMlWorkerResult> {
  const { workerScript, signal, onProgress, ...plain } = options;
  if (signal?.aborted) throw new TrainingAbortedError();
  const script = workerScript ?? resolveWorkerScript('automl-worker');
  if (!script) {
    // in-thread fallback: the same shape of result as from the worker
    await Promise.resolve();
    const { model, ...rest } = runAutoMl(x, target, options);
    const modelBytes = serializeAutoMlModel(model);
    return { ...rest, model: deserializeAutoMlModel(modelBytes), modelBytes };
  }
  const abortFlag = new Int32Array(new SharedArrayBuffer(4));
  const request: AutoMlWorkerRequest = {
    columns: x.columns.map(sharedColumn),
    target:
      target.kind === 'values'
        ? { kind: 'values', values: shared(target.values) }
        : {
            kind: 'classes',
            codes: shared(Float64Array.from(target.codes)),
            labels: target.labels,
          },
    options: plain,
    abortFlag,
  };
  const data = await new Promise<AutoMlResultData>((resolve, reject) => {
    const worker = new Worker(script, { workerData: request });
    let settled = false;
    let grace: NodeJS.Timeout | undefined;
    const finish = (error: Error | undefined, result?: AutoMlResultData): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (grace) clearTimeout(grace);
      void worker.terminate();
      if (error) reject(error);
      else resolve(result as AutoMlResultData);
    };
    const onAbort = (): void => {
      Atomics.store(abortFlag, ABORT_FLAG_INDEX, 1);
      worker.postMessage({ type: 'abort' });
      grace = setTimeout(() => finish(new TrainingAbortedError()), AUTOML_ABORT_GRACE_MS);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: AutoMlWorkerMessage) => {
      switch (message.type) {
        case 'progress':
          // messages already in flight when the caller aborted are dropped: after an abort
          // the caller hears only the rejection
          if (!settled && !signal?.aborted) onProgress?.(message.progress);
          break;
        case 'done':
          finish(undefined, message.result);
          break;
        case 'error':
          finish(errorFromMessage(message));
          break;
      }
    });
    worker.on('error', (error: Error) => finish(error));
    worker.on('exit', (code) => finish(new Error(`AutoML worker exited with code ${code}`)));
  });
  const { modelBytes, ...rest } = data;
  return { ...rest, model: deserializeAutoMlModel(modelBytes), modelBytes };
}

function shared<T extends Float64Array | Int32Array>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const Ctor = a.constructor as new (buffer: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(Math.max(8, a.byteLength)));
  out.set(a);
  return out.subarray(0, a.length) as T;
}

function sharedColumn(column: Column): Column {
  return column.kind === 'numeric'
    ? { kind: 'numeric', name: column.name, values: shared(column.values) }
    : {
        kind: 'categorical',
        name: column.name,
        codes: shared(column.codes),
        levels: column.levels,
      };
}
