import type { DataMatrix } from '../core/matrix';
import { deserializeModel, type TreeModel } from '../persistence/model-serializer';
import { checkControl, type TrainControl } from '../trees/types';
import { fitSpec, type TrainRequest, type TrainSpec } from './train-spec';
import { resolveWorkerScript, runWorkers } from './worker-pool';

/**
 * Fits a model in a worker thread so the caller's event loop stays free (the API process, a
 * BullMQ processor). The model comes back through the binary model format. Aborting terminates
 * the worker at once. Without a compiled worker script (ts-jest) it fits in this thread.
 */
export async function trainInWorker(
  spec: TrainSpec,
  x: DataMatrix,
  y: Float64Array,
  control: TrainControl & { readonly workerScript?: string } = {},
): Promise<TreeModel> {
  checkControl(control);
  const script = control.workerScript ?? resolveWorkerScript('train-worker');
  if (!script) return fitSpec(spec, x, y, control);
  const request: TrainRequest = { spec, columns: x.columns, y, deadline: control.deadline };
  let iteration = 0;
  const total =
    spec.learner === 'hist-gradient-boosting'
      ? (spec.options.maxIterations ?? 100)
      : (spec.options.nEstimators ?? 100);
  const [bytes] = await runWorkers<Uint8Array>(script, [request], {
    signal: control.signal,
    onProgress: () => control.onProgress?.({ iteration: ++iteration, total }),
  });
  return deserializeModel(bytes);
}
