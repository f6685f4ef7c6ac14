/** Worker entry for {@link configureTreePrediction}: predicts the second half of each batch. */
import { parentPort } from 'node:worker_threads';
import { accumulateTreesInThread } from '../trees/flat-tree';
import type { PredictRequest } from './predict-threads';

if (parentPort) {
  parentPort.on('message', (r: PredictRequest) => {
    try {
      accumulateTreesInThread(r.trees, r.cols, r.nRows, r.out, r.stride, r.outputOffsets, r.scale);
      Atomics.store(r.control, 0, r.seq);
    } catch {
      Atomics.store(r.control, 1, -1);
    }
    Atomics.notify(r.control, 0);
  });
}
