/**
 * Worker entry: fits one model from a {@link TrainRequest} and posts it back serialised.
 * Runs as compiled JS (dist/); `trainInWorker` trains in-thread when this file is not compiled.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DataMatrix } from '../core/matrix';
import { serializeModel } from '../persistence/model-serializer';
import { fitSpec, type TrainRequest } from './train-spec';
import type { WorkerMessage } from './worker-pool';

if (parentPort) {
  const port = parentPort;
  const request = workerData as TrainRequest;
  try {
    const x = new DataMatrix(request.columns);
    const model = fitSpec(request.spec, x, request.y, {
      deadline: request.deadline,
      onProgress: () => port.postMessage({ type: 'progress' } satisfies WorkerMessage<Uint8Array>),
    });
    const bytes = serializeModel(model);
    port.postMessage({ type: 'done', result: bytes } satisfies WorkerMessage<Uint8Array>, [
      bytes.buffer as ArrayBuffer,
    ]);
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    port.postMessage({
      type: 'error',
      name: e.name,
      message: e.message,
      stack: e.stack,
    } satisfies WorkerMessage<Uint8Array>);
  }
}
