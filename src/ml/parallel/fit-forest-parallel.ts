import type { DataMatrix } from '../core/matrix';
import {
  assembleForest,
  buildForestPart,
  prepareForest,
  type ForestPartResult,
  type RandomForestModel,
  type RandomForestOptions,
} from '../forest/random-forest';
import { checkControl } from '../trees/types';
import type { ForestWorkerData } from './forest-worker';
import { defaultWorkers, resolveWorkerScript, runWorkers } from './worker-pool';

export interface ParallelOptions {
  /** Worker threads; default: available cores. 1 builds in this thread. */
  readonly nWorkers?: number;
  /** Compiled worker entry; default: forest-worker.js beside this module, if it exists. */
  readonly workerScript?: string;
}

/**
 * Random forest / extra trees with trees built on several cores by worker threads. The binned
 * data lives in SharedArrayBuffers, so workers share it without copies; each tree's seed is drawn
 * up front, so the forest is the same whatever the number of workers. Without a compiled worker
 * script (e.g. under ts-jest) it builds in this thread.
 */
export async function fitRandomForestParallel(
  x: DataMatrix,
  y: Float64Array,
  options: RandomForestOptions & ParallelOptions,
): Promise<RandomForestModel> {
  checkControl(options);
  const script = options.workerScript ?? resolveWorkerScript('forest-worker');
  const nEst = options.nEstimators ?? 100;
  const nWorkers = Math.min(options.nWorkers ?? defaultWorkers(nEst), nEst);
  const useWorkers = script !== undefined && nWorkers > 1;
  const { job, nClasses, nEstimators } = prepareForest(x, y, options, useWorkers);
  let built = 0;
  const tick = (): void => {
    built++;
    options.onProgress?.({ iteration: built, total: nEstimators });
  };
  let parts: ForestPartResult[];
  if (!useWorkers) {
    const all = Int32Array.from({ length: nEstimators }, (_, t) => t);
    parts = [buildForestPart(job, all, options, tick)];
  } else {
    const payloads: ForestWorkerData[] = [];
    for (let w = 0; w < nWorkers; w++) {
      const idx: number[] = [];
      for (let t = w; t < nEstimators; t += nWorkers) idx.push(t);
      payloads.push({ job, treeIndices: Int32Array.from(idx), deadline: options.deadline });
    }
    const results = await runWorkers<ForestPartResult>(script, payloads, {
      signal: options.signal,
      onProgress: tick,
    });
    // put trees back in seed order so the forest does not depend on the worker count
    const ordered = new Array<ForestPartResult['trees'][number] | undefined>(nEstimators);
    results.forEach((part, w) =>
      part.trees.forEach((tree, j) => (ordered[payloads[w].treeIndices[j]] = tree)),
    );
    parts = results.map((part, w) => ({
      ...part,
      trees: w === 0 ? ordered.filter((t) => t !== undefined) : [],
    }));
  }
  return assembleForest(x, y, options, nClasses, parts);
}
