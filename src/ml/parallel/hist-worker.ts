/**
 * Worker entry for {@link ThreadHistogramHelper}: waits on the shared control block and builds
 * the requested features' histograms into the shared scratch histogram.
 */
import { workerData } from 'node:worker_threads';
import { accumulateHistogram } from '../trees/hist-kernel';
import {
  awaitChange,
  controlHessian,
  HIST_COMMAND_EXIT,
  HistControl,
  publish,
  type HistWorkerData,
} from './hist-helper';

const data = workerData as HistWorkerData | null;
if (data && data.control) {
  const c = data.control;
  Atomics.store(c, HistControl.Ready, 1);
  Atomics.notify(c, HistControl.Ready);
  let seen = 0;
  for (;;) {
    const seq = awaitChange(c, HistControl.Seq, seen, HistControl.WorkerSleeping);
    seen = seq;
    if (c[HistControl.Command] === HIST_COMMAND_EXIT) break;
    try {
      accumulateHistogram(
        data.hist,
        data.columns,
        data.rows,
        c[HistControl.Start],
        c[HistControl.Count],
        data.orderedG,
        data.orderedH,
        controlHessian(c),
        c[HistControl.Identity] === 1,
        data.features,
        c[HistControl.From],
        c[HistControl.To],
        data.usedSpan,
      );
    } catch {
      // the main thread sees the flag and builds these features itself
      Atomics.store(c, HistControl.Failed, 1);
    }
    publish(c, HistControl.Done, seq, HistControl.MainSleeping);
  }
}
