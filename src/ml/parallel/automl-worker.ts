/**
 * Worker entry for {@link runAutoMlInWorker}: runs `runAutoMl` on the shared table and posts
 * progress, then the result with the model as `NMLA` bytes (or the error). Runs as compiled JS
 * (dist/); `runAutoMlInWorker` runs in-thread when this file is not compiled.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runAutoMl } from '../automl/automl';
import { serializeAutoMlModel } from '../automl/serialize-automl-model';
import { DataMatrix } from '../core/matrix';
import {
  ABORT_FLAG_INDEX,
  type AutoMlWorkerMessage,
  type AutoMlWorkerRequest,
  errorMessage,
} from './automl-worker-protocol';

/**
 * An AbortSignal that also turns aborted when the main thread raises the shared flag. runAutoMl
 * is synchronous, so this thread's event loop (and a posted 'abort' message) is not served until
 * it returns; the learners read `signal.aborted` between folds and trees, so that read polls the
 * flag and aborts this thread's own controller.
 */
function sharedFlagSignal(flag: Int32Array): { controller: AbortController; signal: AbortSignal } {
  const controller = new AbortController();
  const signal = controller.signal;
  const aborted = Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'aborted');
  Object.defineProperty(signal, 'aborted', {
    configurable: true,
    get(): boolean {
      if (Atomics.load(flag, ABORT_FLAG_INDEX) !== 0 && !(aborted?.get?.call(signal) as boolean))
        controller.abort();
      return aborted?.get?.call(signal) as boolean;
    },
  });
  return { controller, signal };
}

if (parentPort) {
  const port = parentPort;
  const request = workerData as AutoMlWorkerRequest;
  const post = (message: AutoMlWorkerMessage, transfer: ArrayBuffer[] = []): void =>
    port.postMessage(message, transfer);
  const { controller, signal } = sharedFlagSignal(request.abortFlag);
  port.on('message', (message: { type?: string }) => {
    if (message.type === 'abort') controller.abort();
  });
  try {
    const result = runAutoMl(new DataMatrix(request.columns), request.target, {
      ...request.options,
      signal,
      onProgress: (progress) => post({ type: 'progress', progress }),
    });
    const { model, ...rest } = result;
    const modelBytes = serializeAutoMlModel(model);
    post({ type: 'done', result: { ...rest, modelBytes } }, [modelBytes.buffer as ArrayBuffer]);
  } catch (error) {
    post(errorMessage(error));
  }
}
