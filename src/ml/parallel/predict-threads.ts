import { Worker } from 'node:worker_threads';
import { accumulateTreesInThread, setParallelAccumulator, type FlatTree } from '../trees/flat-tree';
import { resolveWorkerScript } from './worker-pool';

/** One prediction request to the worker (typed arrays over SharedArrayBuffers). */
export interface PredictRequest {
  readonly seq: number;
  readonly control: Int32Array;
  readonly trees: readonly FlatTree[];
  readonly cols: readonly Float64Array[];
  readonly nRows: number;
  readonly out: Float64Array;
  readonly stride: number;
  readonly outputOffsets: Int32Array | number;
  readonly scale: number;
}

const MIN_ROWS = 20_000;

interface State {
  worker: Worker;
  control: Int32Array;
  seq: number;
  shared: WeakMap<FlatTree, FlatTree>;
  colBuffer: Float64Array;
  outBuffer: Float64Array;
}

let state: State | undefined;

/**
 * Opt-in two-thread batch prediction for tree ensembles: with `threads: 2`, batches of at least
 * 20,000 rows are split in half between this thread and one persistent worker thread (trees are
 * copied once into SharedArrayBuffers, each batch's features once per call). The worker entry is
 * compiled JS (dist/); without it prediction stays in this thread. `threads: 1` turns it off.
 */
export function configureTreePrediction(options: {
  threads: number;
  workerScript?: string;
}): boolean {
  if (state) {
    void state.worker.terminate();
    state = undefined;
  }
  setParallelAccumulator(undefined);
  if (options.threads < 2) return false;
  const script = options.workerScript ?? resolveWorkerScript('predict-worker');
  if (!script) return false;
  const worker = new Worker(script);
  worker.unref();
  const control = new Int32Array(new SharedArrayBuffer(8));
  worker.on('error', () => {
    Atomics.store(control, 1, -1);
    Atomics.notify(control, 0);
  });
  state = {
    worker,
    control,
    seq: 0,
    shared: new WeakMap(),
    colBuffer: new Float64Array(new SharedArrayBuffer(8)),
    outBuffer: new Float64Array(new SharedArrayBuffer(8)),
  };
  setParallelAccumulator(accumulateTwoThreads);
  return true;
}

function sharedCopy<T extends Int32Array | Float64Array | Uint8Array | Uint32Array>(a: T): T {
  const Ctor = a.constructor as new (buffer: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(Math.max(8, a.byteLength)));
  (out as unknown as { set(src: ArrayLike<number>): void }).set(a);
  return out.subarray(0, a.length) as T;
}

function sharedTree(s: State, tree: FlatTree): FlatTree {
  let copy = s.shared.get(tree);
  if (!copy) {
    copy = {
      nNodes: tree.nNodes,
      nOutputs: tree.nOutputs,
      feature: sharedCopy(tree.feature),
      threshold: sharedCopy(tree.threshold),
      binThreshold: sharedCopy(tree.binThreshold),
      missingLeft: sharedCopy(tree.missingLeft),
      left: sharedCopy(tree.left),
      right: sharedCopy(tree.right),
      catOffset: sharedCopy(tree.catOffset),
      catBits: sharedCopy(tree.catBits),
      value: sharedCopy(tree.value),
      cover: sharedCopy(tree.cover),
      gain: sharedCopy(tree.gain),
    };
    s.shared.set(tree, copy);
  }
  return copy;
}

function accumulateTwoThreads(
  trees: readonly FlatTree[],
  cols: readonly Float64Array[],
  nRows: number,
  out: Float64Array,
  stride: number,
  outputOffsets: Int32Array | number,
  scale: number,
): boolean {
  const s = state;
  if (!s || nRows < MIN_ROWS || Atomics.load(s.control, 1) === -1) return false;
  const mid = nRows >> 1;
  const rest = nRows - mid;
  const p = cols.length;
  if (s.colBuffer.length < rest * p)
    s.colBuffer = new Float64Array(new SharedArrayBuffer(8 * rest * p));
  if (s.outBuffer.length < rest * stride)
    s.outBuffer = new Float64Array(new SharedArrayBuffer(8 * rest * stride));
  const workerCols = cols.map((col, j) => {
    const view = s.colBuffer.subarray(j * rest, (j + 1) * rest);
    view.set(col.subarray(mid, nRows));
    return view;
  });
  const workerOut = s.outBuffer.subarray(0, rest * stride);
  // the worker continues from the current scores, so sums happen in the same order as in-thread
  workerOut.set(out.subarray(mid * stride, nRows * stride));
  const seq = ++s.seq;
  const request: PredictRequest = {
    seq,
    control: s.control,
    trees: trees.map((t) => sharedTree(s, t)),
    cols: workerCols,
    nRows: rest,
    out: workerOut,
    stride,
    outputOffsets,
    scale,
  };
  s.worker.postMessage(request);
  accumulateTreesInThread(
    trees,
    cols.map((col) => col.subarray(0, mid)),
    mid,
    out,
    stride,
    outputOffsets,
    scale,
  );
  for (;;) {
    const done = Atomics.load(s.control, 0);
    if (done === seq) break;
    if (Atomics.load(s.control, 1) === -1) {
      // the worker failed: do its half here
      accumulateTreesInThread(
        trees,
        cols.map((col) => col.subarray(mid, nRows)),
        rest,
        workerOut,
        stride,
        outputOffsets,
        scale,
      );
      break;
    }
    Atomics.wait(s.control, 0, done, 100);
  }
  const base = mid * stride;
  out.set(workerOut, base);
  return true;
}
