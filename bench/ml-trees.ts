/**
 * Tree learners against scikit-learn / XGBoost on 100,000 × 20 synthetic data.
 *
 *   /usr/bin/python3 bench/ml_trees_reference.py      # writes .data/bench/ CSVs + reference timings
 *   npx nest build && node dist/bench/ml-trees.js [--skip-forest-cv] [--skip-cv] [--forest-cv-folds=N]
 *
 * Prints, per configuration, fit seconds (median of 3; forest 1), batch predict rows/s on the
 * 100,000 rows and the 5-fold CV score (accuracy / R²) on the folds exported by the Python side:
 *  (a) lr 0.1, 100 iterations, 31 leaves, 255 bins, no early stopping  vs sklearn HistGradientBoosting
 *  (b) XGBoost hist defaults: depth 6, lr 0.3, 100 trees, L2 1          vs XGBoost 1.7 (2 threads)
 *  (c) random forest, 100 trees, worker threads                        vs sklearn RandomForest(n_jobs=2)
 * Like the references (2 threads), boosting builds histograms on 2 threads (`nThreads: 2`) and
 * batch prediction uses `configureTreePrediction({ threads: 2 })`; `--one-thread` turns both off.
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { DataMatrix } from '../src/ml/core/matrix';
import {
  fitHistGradientBoosting,
  xgboostHistDefaults,
} from '../src/ml/boosting/hist-gradient-boosting';
import { fitRandomForestParallel } from '../src/ml/parallel/fit-forest-parallel';
import { configureTreePrediction } from '../src/ml/parallel/predict-threads';
import { accuracyOf, r2Of } from '../src/ml/trees/synthetic';
import type { FittedModel } from '../src/ml/trees/types';

type TaskName = 'classification' | 'regression';
type LearnerName = 'hgb' | 'xgb' | 'forest';

interface Entry {
  fitSeconds: number;
  predictRowsPerSecond: number;
  cvScore?: number;
}

const DIR = join(process.cwd(), '.data', 'bench');
const args = new Set(process.argv.slice(2));
const THREADS = args.has('--one-thread') ? 1 : 2;
/** The forest's CV can be limited to its first N folds (a regression forest fit takes a minute). */
const FOREST_CV_FOLDS = Number(
  [...args].find((a) => a.startsWith('--forest-cv-folds='))?.split('=')[1] ?? 5,
);

function loadCsv(task: TaskName): { x: DataMatrix; y: Float64Array; folds: Int32Array } {
  const text = readFileSync(join(DIR, `trees_${task}.csv`), 'utf8');
  const lines = text.trim().split('\n');
  const names = lines[0].split(',');
  const p = names.length - 1;
  const n = lines.length - 1;
  const cols = Array.from({ length: p }, () => new Float64Array(n));
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const parts = lines[i + 1].split(',');
    for (let j = 0; j < p; j++) cols[j][i] = Number(parts[j]);
    y[i] = Number(parts[p]);
  }
  const folds = Int32Array.from(
    readFileSync(join(DIR, `trees_${task}_folds.csv`), 'utf8')
      .trim()
      .split('\n'),
    Number,
  );
  return {
    x: new DataMatrix(
      cols.map((values, j) => ({ kind: 'numeric' as const, name: names[j], values })),
    ),
    y,
    folds,
  };
}

async function median(repeats: number, fn: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t) / 1e9);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

type Fit = (x: DataMatrix, y: Float64Array) => Promise<FittedModel>;

function learner(name: LearnerName, task: TaskName): Fit {
  const t = task === 'classification' ? ('binary' as const) : ('regression' as const);
  switch (name) {
    case 'hgb':
      return (x, y) =>
        Promise.resolve(
          fitHistGradientBoosting(x, y, {
            task: t,
            maxIterations: 100,
            learningRate: 0.1,
            maxLeaves: 31,
            maxBins: 255,
            earlyStopping: false,
            nThreads: THREADS,
          }),
        );
    case 'xgb':
      return (x, y) =>
        Promise.resolve(
          fitHistGradientBoosting(x, y, { task: t, ...xgboostHistDefaults(), nThreads: THREADS }),
        );
    case 'forest':
      return (x, y) =>
        fitRandomForestParallel(x, y, { task: t, nEstimators: 100, nWorkers: THREADS });
  }
}

async function run(
  name: LearnerName,
  task: TaskName,
  data: ReturnType<typeof loadCsv>,
): Promise<Entry> {
  const fit = learner(name, task);
  let model: FittedModel | undefined;
  const fitSeconds = await median(name === 'forest' ? 1 : 3, async () => {
    model = await fit(data.x, data.y);
  });
  const predictSeconds = await median(3, () => model!.predict(data.x));
  const entry: Entry = { fitSeconds, predictRowsPerSecond: data.y.length / predictSeconds };
  if (!args.has('--skip-cv') && !(name === 'forest' && args.has('--skip-forest-cv'))) {
    let total = 0;
    const folds = name === 'forest' ? Math.min(5, Math.max(1, FOREST_CV_FOLDS)) : 5;
    for (let k = 0; k < folds; k++) {
      const train: number[] = [];
      const test: number[] = [];
      data.folds.forEach((f, i) => (f === k ? test : train).push(i));
      const yTrain = Float64Array.from(train, (i) => data.y[i]);
      const yTest = Float64Array.from(test, (i) => data.y[i]);
      const m = await fit(data.x.takeRows(train), yTrain);
      const pred = m.predict(data.x.takeRows(test));
      total += task === 'classification' ? accuracyOf(yTest, pred) : r2Of(yTest, pred);
    }
    entry.cvScore = total / folds;
  }
  return entry;
}

function fmt(v: number | undefined, digits: number): string {
  return v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(digits);
}

async function main(): Promise<void> {
  if (!existsSync(join(DIR, 'trees_classification.csv'))) {
    throw new Error(`run /usr/bin/python3 bench/ml_trees_reference.py first (no CSVs in ${DIR})`);
  }
  const refPath = join(DIR, 'ml_trees_reference.json');
  const ref = existsSync(refPath)
    ? (JSON.parse(readFileSync(refPath, 'utf8')) as Record<TaskName, Record<LearnerName, Entry>>)
    : undefined;
  const threaded = configureTreePrediction({ threads: THREADS });
  console.log(
    `node ${process.version}, ${availableParallelism()} cores, threads ${THREADS}, threaded predict ${threaded}`,
  );
  const label: Record<LearnerName, string> = {
    hgb: '(a) hist GBDT vs sklearn HGB',
    xgb: '(b) XGBoost-mode vs XGBoost hist',
    forest: '(c) forest vs sklearn RF(100)',
  };
  const header = [
    'task'.padEnd(15),
    'configuration'.padEnd(34),
    'fit s ours'.padStart(10),
    'ref'.padStart(8),
    'ratio'.padStart(6),
    'pred rows/s ours'.padStart(17),
    'ref'.padStart(10),
    'CV ours'.padStart(8),
    'ref'.padStart(8),
    'Δ points'.padStart(9),
  ].join(' ');
  console.log(header);
  if (FOREST_CV_FOLDS < 5)
    console.log(`(forest CV: mean of the first ${FOREST_CV_FOLDS} of 5 folds)`);
  for (const task of ['classification', 'regression'] as const) {
    const data = loadCsv(task);
    for (const name of ['hgb', 'xgb', 'forest'] as const) {
      const ours = await run(name, task, data);
      const r = ref?.[task]?.[name];
      const delta =
        ours.cvScore !== undefined && r?.cvScore !== undefined
          ? 100 * (ours.cvScore - r.cvScore)
          : undefined;
      console.log(
        [
          task.padEnd(15),
          label[name].padEnd(34),
          fmt(ours.fitSeconds, 2).padStart(10),
          fmt(r?.fitSeconds, 2).padStart(8),
          fmt(r ? ours.fitSeconds / r.fitSeconds : undefined, 2).padStart(6),
          fmt(ours.predictRowsPerSecond, 0).padStart(17),
          fmt(r?.predictRowsPerSecond, 0).padStart(10),
          fmt(ours.cvScore, 4).padStart(8),
          fmt(r?.cvScore, 4).padStart(8),
          fmt(delta, 2).padStart(9),
        ].join(' '),
      );
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
