import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from 'typescript';
import { loadDataset } from '../../../test/fixtures/ml/trees/load-fixture';
import {
  type AutoMlOptions,
  type AutoMlProgress,
  type AutoMlResult,
  runAutoMl,
} from '../automl/automl';
import { AutoMlRefusalReason, AutoMlRefusedError } from '../automl/errors';
import { serializeAutoMlModel } from '../automl/serialize-automl-model';
import { TrainingAbortedError } from '../trees/types';
import {
  AUTOML_ABORT_GRACE_MS,
  type AutoMlWorkerResult,
  runAutoMlInWorker,
} from './run-automl-in-worker';
import { resolveWorkerScript } from './worker-pool';

/**
 * ts-jest runs TypeScript in-process, but worker threads need JavaScript: transpile the whole
 * library (AutoML reaches most of it) the way `nest build` would into a temporary directory.
 */
function compileLibrary(): string {
  const out = mkdtempSync(join(tmpdir(), 'nml-automl-worker-'));
  const root = join(__dirname, '..');
  for (const dir of readdirSync(root, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    mkdirSync(join(out, dir.name), { recursive: true });
    for (const file of readdirSync(join(root, dir.name))) {
      if (!file.endsWith('.ts') || file.endsWith('.spec.ts')) continue;
      const js = ts.transpileModule(readFileSync(join(root, dir.name, file), 'utf8'), {
        compilerOptions: {
          module: ts.ModuleKind.CommonJS,
          target: ts.ScriptTarget.ES2022,
          esModuleInterop: true,
        },
      }).outputText;
      writeFileSync(join(out, dir.name, file.replace(/\.ts$/, '.js')), js);
    }
  }
  return out;
}

const wine = loadDataset('wine');
const cancer = loadDataset('breast_cancer');

/** Everything but the measured wall-clock fields. */
function reproducibleView(result: AutoMlResult | AutoMlWorkerResult): unknown {
  return {
    problem: result.problem,
    metric: result.metric,
    featureNames: result.featureNames,
    leaderboard: result.leaderboard.map(({ fitTimeMs: _t, ...rest }) => rest),
    ensembles: result.ensembles,
    winner: result.winner,
    estimate: result.estimate,
    search: result.search,
  };
}

function progressView(progress: readonly AutoMlProgress[]): unknown {
  return progress.map(({ elapsedMs: _e, ...rest }) => rest);
}

describe('AutoML in a worker thread', () => {
  let script: string;
  let lib: string;
  beforeAll(() => {
    lib = compileLibrary();
    script = join(lib, 'parallel', 'automl-worker.js');
  });
  afterAll(() => rmSync(lib, { recursive: true, force: true }));

  const options: AutoMlOptions = {
    mode: 'reproducible',
    maxCandidates: 5,
    seed: 7,
    learners: ['gaussian-nb', 'logistic', 'knn', 'random-forest'],
    ensemble: ['soft-voting', 'stacking', 'blending'],
  };

  it('should give the in-thread leaderboard, progress and model bytes in reproducible mode', async () => {
    const inThreadProgress: AutoMlProgress[] = [];
    const inThread = runAutoMl(
      wine.x,
      { kind: 'values', values: wine.y },
      { ...options, onProgress: (p) => inThreadProgress.push(p) },
    );
    const workerProgress: AutoMlProgress[] = [];
    const inWorker = await runAutoMlInWorker(
      wine.x,
      { kind: 'values', values: wine.y },
      { ...options, workerScript: script, onProgress: (p) => workerProgress.push(p) },
    );
    expect(reproducibleView(inWorker)).toEqual(reproducibleView(inThread));
    const bytes = serializeAutoMlModel(inThread.model);
    expect(Buffer.from(inWorker.modelBytes).equals(Buffer.from(bytes))).toBe(true);
    // the loaded model is usable here and serialises back to the worker's bytes
    expect(Buffer.from(serializeAutoMlModel(inWorker.model)).equals(Buffer.from(bytes))).toBe(true);
    expect(Array.from(inWorker.model.predictProba(wine.x))).toEqual(
      Array.from(inThread.model.predictProba(wine.x)),
    );
    expect(workerProgress.length).toBe(options.maxCandidates! + 2);
    expect(workerProgress[workerProgress.length - 1].phase).toBe('done');
    expect(progressView(workerProgress)).toEqual(progressView(inThreadProgress));
    // the caller's arrays are copied, not transferred
    expect(wine.y.length).toBe(178);
  });

  it('should run in this thread with the same result when no compiled worker exists', async () => {
    expect(resolveWorkerScript('automl-worker')).toBeUndefined();
    const target = { kind: 'values' as const, values: wine.y };
    const fallback = await runAutoMlInWorker(wine.x, target, { ...options, maxCandidates: 3 });
    const inThread = runAutoMl(wine.x, target, { ...options, maxCandidates: 3 });
    expect(reproducibleView(fallback)).toEqual(reproducibleView(inThread));
    expect(
      Buffer.from(fallback.modelBytes).equals(Buffer.from(serializeAutoMlModel(inThread.model))),
    ).toBe(true);
  });

  it('should reject with the refusal the in-thread run throws', async () => {
    const run = runAutoMlInWorker(
      cancer.x,
      { kind: 'values', values: cancer.y },
      { timeBudgetMs: 50, workerScript: script },
    );
    await expect(run).rejects.toBeInstanceOf(AutoMlRefusedError);
    const error = (await run.catch((e: unknown) => e)) as AutoMlRefusedError;
    expect(error.reason).toBe(AutoMlRefusalReason.BudgetTooSmall);
    expect(error.estimate.minimumMs).toBeGreaterThan(50);
  });

  it('should stop the worker through its own abort signal soon after an abort', async () => {
    const controller = new AbortController();
    let abortedAt = 0;
    const phases: string[] = [];
    const run = runAutoMlInWorker(
      cancer.x,
      { kind: 'values', values: cancer.y },
      {
        timeBudgetMs: 60_000,
        seed: 1,
        workerScript: script,
        signal: controller.signal,
        onProgress: (p) => {
          phases.push(p.phase);
          // abort once the worker is in the middle of the search
          if (abortedAt === 0) {
            abortedAt = Date.now();
            controller.abort();
          }
        },
      },
    );
    await expect(run).rejects.toBeInstanceOf(TrainingAbortedError);
    // the worker stopped by itself: terminating it would take the whole grace period
    expect(Date.now() - abortedAt).toBeLessThan(AUTOML_ABORT_GRACE_MS);
    expect(phases).toEqual(['search']);
  });

  it('should reject at once when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      runAutoMlInWorker(
        wine.x,
        { kind: 'values', values: wine.y },
        { ...options, workerScript: script, signal: controller.signal },
      ),
    ).rejects.toBeInstanceOf(TrainingAbortedError);
  });
});
