import { Worker } from 'node:worker_threads';
import {
  accumulateHistogram,
  HIST_FEATURE_SPAN,
  HIST_STRIDE,
  sharedColumns,
  type HistogramHelper,
} from '../trees/hist-kernel';
import { MISSING_BIN } from '../trees/binning';
import { resolveWorkerScript } from './worker-pool';

/** Slots of the shared control block. */
export const HistControl = {
  Seq: 0,
  Done: 1,
  Command: 2,
  Start: 3,
  Count: 4,
  From: 5,
  To: 6,
  Ready: 7,
  Failed: 8,
  /** Every hessian is ConstHessian / 2^20 (> 0), or 0 when they vary. */
  ConstHessian: 9,
  Identity: 10,
  /** 1 while the worker sleeps in Atomics.wait (then a new job must notify it). */
  WorkerSleeping: 11,
  /** 1 while the calling thread sleeps waiting for Done. */
  MainSleeping: 12,
} as const;
/**
 * Polls of a shared slot before sleeping on it. A histogram job or the gap between two jobs
 * usually lasts tens to hundreds of microseconds: waking a sleeping thread through a futex costs
 * about as much on a busy 2-core machine (a quarter of the fit time went into notify/wait when
 * every hand-off slept), so each side first spins briefly and the other side notifies only a
 * thread that really sleeps.
 */
export const HIST_SPIN = 20_000;

/**
 * Waits until control[slot] differs from `seen`: spins up to HIST_SPIN polls, then sleeps with
 * the `sleepSlot` flag raised so that the writer knows to notify. Returns the new value.
 */
export function awaitChange(
  control: Int32Array,
  slot: number,
  seen: number,
  sleepSlot: number,
): number {
  for (let i = 0; i < HIST_SPIN; i++) {
    const v = Atomics.load(control, slot);
    if (v !== seen) return v;
  }
  for (;;) {
    Atomics.store(control, sleepSlot, 1);
    // sequentially consistent: either the writer sees the flag, or this wait sees the new value
    Atomics.wait(control, slot, seen, 1000);
    Atomics.store(control, sleepSlot, 0);
    const v = Atomics.load(control, slot);
    if (v !== seen) return v;
  }
}

/** Publishes `value` in control[slot] and wakes the reader only if it sleeps. */
export function publish(control: Int32Array, slot: number, value: number, sleepSlot: number): void {
  Atomics.store(control, slot, value);
  if (Atomics.load(control, sleepSlot) === 1) Atomics.notify(control, slot);
}
/** The control block is an Int32Array: a constant hessian travels as a fixed-point number. */
const HESSIAN_SCALE = 1 << 20;
export const HIST_COMMAND_BUILD = 1;
export const HIST_COMMAND_EXIT = 2;

/** What the histogram worker receives (all SharedArrayBuffer-backed but usedSpan). */
export interface HistWorkerData {
  readonly control: Int32Array;
  readonly features: Int32Array;
  readonly rows: Int32Array;
  readonly orderedG: Float64Array;
  readonly orderedH: Float64Array;
  /** Column-major bins, one shared Uint8Array per feature. */
  readonly columns: readonly Uint8Array[];
  readonly hist: Float64Array;
  readonly usedSpan: Int32Array;
}

/** The constant hessian a control block carries (see {@link HistControl.ConstHessian}). */
export function controlHessian(control: Int32Array): number {
  return control[HistControl.ConstHessian] / HESSIAN_SCALE;
}

/**
 * A worker thread that builds half of each large histogram while the calling thread builds the
 * other half (feature-parallel histograms, as LightGBM and sklearn do with OpenMP). The two
 * threads meet through Atomics.wait / notify on a shared control block, so the synchronous
 * boosting loop can use it without yielding to the event loop.
 */
export class ThreadHistogramHelper implements HistogramHelper {
  private seq = 0;
  private from = 0;
  private to = 0;
  private features: Int32Array = new Int32Array(0);

  private constructor(
    private readonly worker: Worker,
    private readonly data: HistWorkerData,
  ) {}

  get rows(): Int32Array {
    return this.data.rows;
  }
  get orderedG(): Float64Array {
    return this.data.orderedG;
  }
  get orderedH(): Float64Array {
    return this.data.orderedH;
  }
  get columns(): readonly Uint8Array[] {
    return this.data.columns;
  }

  /**
   * Starts the worker and waits (up to `timeoutMs`) until it is ready; undefined when there is
   * no compiled worker script (ts-jest) or it does not start.
   */
  static create(
    columns: readonly Uint8Array[],
    nRows: number,
    usedSpan: Int32Array,
    options: { workerScript?: string; timeoutMs?: number } = {},
  ): ThreadHistogramHelper | undefined {
    const script = options.workerScript ?? resolveWorkerScript('hist-worker');
    if (!script) return undefined;
    const p = columns.length;
    const f64 = (n: number): Float64Array => new Float64Array(new SharedArrayBuffer(8 * n));
    const data: HistWorkerData = {
      control: new Int32Array(new SharedArrayBuffer(4 * 16)),
      features: new Int32Array(new SharedArrayBuffer(4 * Math.max(1, p))),
      rows: new Int32Array(new SharedArrayBuffer(4 * Math.max(1, nRows))),
      orderedG: f64(Math.max(1, nRows)),
      orderedH: f64(Math.max(1, nRows)),
      // shared as they are when the caller binned into SharedArrayBuffers, else copied once
      columns: sharedColumns(columns),
      hist: f64(Math.max(1, p) * HIST_FEATURE_SPAN),
      usedSpan,
    };
    const worker = new Worker(script, { workerData: data });
    worker.unref();
    worker.on('error', () => undefined);
    const ready = Atomics.wait(data.control, HistControl.Ready, 0, options.timeoutMs ?? 10_000);
    if (ready === 'timed-out' && Atomics.load(data.control, HistControl.Ready) === 0) {
      void worker.terminate();
      return undefined;
    }
    return new ThreadHistogramHelper(worker, data);
  }

  begin(
    start: number,
    n: number,
    features: Int32Array,
    from: number,
    to: number,
    constHessian: number,
    identity: boolean,
  ): void {
    const c = this.data.control;
    const fixed = Math.round(constHessian * HESSIAN_SCALE);
    // the caller gathers no hessians when they are constant, so the worker must get it exactly
    if (constHessian > 0 && fixed / HESSIAN_SCALE !== constHessian) {
      throw new RangeError(`constant hessian ${constHessian} is not representable`);
    }
    this.data.features.set(features.subarray(0, to));
    this.features = features;
    this.from = from;
    this.to = to;
    c[HistControl.Command] = HIST_COMMAND_BUILD;
    c[HistControl.Start] = start;
    c[HistControl.Count] = n;
    c[HistControl.From] = from;
    c[HistControl.To] = to;
    c[HistControl.ConstHessian] = fixed;
    c[HistControl.Identity] = identity ? 1 : 0;
    publish(c, HistControl.Seq, ++this.seq, HistControl.WorkerSleeping);
  }

  finishInto(hist: Float64Array): void {
    const c = this.data.control;
    for (;;) {
      const done = Atomics.load(c, HistControl.Done);
      if (done === this.seq) break;
      awaitChange(c, HistControl.Done, done, HistControl.MainSleeping);
    }
    const d = this.data;
    if (Atomics.load(c, HistControl.Failed) === 1) {
      accumulateHistogram(
        hist,
        d.columns,
        d.rows,
        c[HistControl.Start],
        c[HistControl.Count],
        d.orderedG,
        d.orderedH,
        controlHessian(c),
        c[HistControl.Identity] === 1,
        this.features,
        this.from,
        this.to,
        d.usedSpan,
      );
      return;
    }
    const src = d.hist;
    const used = d.usedSpan;
    for (let fi = this.from; fi < this.to; fi++) {
      const f = this.features[fi];
      const base = f * HIST_FEATURE_SPAN;
      hist.set(src.subarray(base, base + used[f]), base);
      const m = base + MISSING_BIN * HIST_STRIDE;
      hist.set(src.subarray(m, m + HIST_STRIDE), m);
    }
  }

  close(): void {
    const c = this.data.control;
    c[HistControl.Command] = HIST_COMMAND_EXIT;
    Atomics.store(c, HistControl.Seq, ++this.seq);
    Atomics.notify(c, HistControl.Seq);
    void this.worker.terminate();
  }
}
