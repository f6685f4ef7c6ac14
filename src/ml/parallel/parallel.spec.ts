import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from 'typescript';
import { fitHistGradientBoosting } from '../boosting/hist-gradient-boosting';
import { fitRandomForest } from '../forest/random-forest';
import { syntheticData } from '../trees/synthetic';
import { TrainingAbortedError } from '../trees/types';
import { fitRandomForestParallel } from './fit-forest-parallel';
import { configureTreePrediction } from './predict-threads';
import { trainInWorker } from './train-in-worker';
import { resolveWorkerScript } from './worker-pool';

/**
 * ts-jest runs TypeScript in-process, but worker threads need JavaScript files: compile the
 * library the way `nest build` would (transpile only) into a temporary directory.
 */
function compileLibrary(): string {
  const out = mkdtempSync(join(tmpdir(), 'nml-workers-'));
  const root = join(__dirname, '..');
  for (const dir of ['core', 'trees', 'boosting', 'forest', 'persistence', 'parallel']) {
    mkdirSync(join(out, dir), { recursive: true });
    for (const file of readdirSync(join(root, dir))) {
      if (!file.endsWith('.ts') || file.endsWith('.spec.ts')) continue;
      const js = ts.transpileModule(readFileSync(join(root, dir, file), 'utf8'), {
        compilerOptions: {
          module: ts.ModuleKind.CommonJS,
          target: ts.ScriptTarget.ES2022,
          esModuleInterop: true,
        },
      }).outputText;
      writeFileSync(join(out, dir, file.replace(/\.ts$/, '.js')), js);
    }
  }
  return out;
}

describe('parallel training', () => {
  let lib: string;
  beforeAll(() => {
    lib = compileLibrary();
  });
  afterAll(() => rmSync(lib, { recursive: true, force: true }));

  it('should fall back to the main thread when no compiled worker exists (ts-jest)', async () => {
    expect(resolveWorkerScript('forest-worker')).toBeUndefined();
    const data = syntheticData('binary', 400, 4, 1);
    const model = await fitRandomForestParallel(data.x, data.y, {
      task: 'binary',
      nEstimators: 4,
      nWorkers: 2,
    });
    expect(model.trees.length).toBe(4);
  });

  it('should build the same forest in worker threads as in one thread', async () => {
    const data = syntheticData('binary', 1000, 6, 2);
    const options = { task: 'binary' as const, nEstimators: 6, oobScore: true, seed: 4 };
    let ticks = 0;
    const parallel = await fitRandomForestParallel(data.x, data.y, {
      ...options,
      nWorkers: 2,
      workerScript: join(lib, 'parallel', 'forest-worker.js'),
      onProgress: () => ticks++,
    });
    const serial = fitRandomForest(data.x, data.y, options);
    expect(ticks).toBe(6);
    expect(Array.from(parallel.predictProba(data.x))).toEqual(
      Array.from(serial.predictProba(data.x)),
    );
    expect(parallel.oobScore).toBe(serial.oobScore);
  });

  it('should train a boosted model in a worker and return it through the binary format', async () => {
    const data = syntheticData('regression', 800, 5, 3);
    const spec = {
      learner: 'hist-gradient-boosting' as const,
      options: { task: 'regression' as const, maxIterations: 20 },
    };
    const inWorker = await trainInWorker(spec, data.x, data.y, {
      workerScript: join(lib, 'parallel', 'train-worker.js'),
    });
    const inThread = await trainInWorker(spec, data.x, data.y);
    expect(Array.from(inWorker.predict(data.x))).toEqual(Array.from(inThread.predict(data.x)));
  });

  it('should build histograms in a second thread with the same result', () => {
    const data = syntheticData('binary', 20000, 10, 5, { missingRate: 0.02 });
    const options = { task: 'binary' as const, maxIterations: 10, earlyStopping: false };
    const single = fitHistGradientBoosting(data.x, data.y, options);
    const threaded = fitHistGradientBoosting(data.x, data.y, {
      ...options,
      nThreads: 2,
      histWorkerScript: join(lib, 'parallel', 'hist-worker.js'),
    });
    expect(Array.from(threaded.predictRaw(data.x))).toEqual(Array.from(single.predictRaw(data.x)));
    // without a compiled worker (ts-jest) nThreads falls back to one thread
    const fallback = fitHistGradientBoosting(data.x, data.y, { ...options, nThreads: 2 });
    expect(Array.from(fallback.predictRaw(data.x))).toEqual(Array.from(single.predictRaw(data.x)));
  });

  it('should predict large batches on two threads with identical results', () => {
    const data = syntheticData('multiclass', 30000, 6, 6, { nClasses: 3, missingRate: 0.01 });
    const model = fitHistGradientBoosting(data.x, data.y, {
      task: 'multiclass',
      maxIterations: 10,
    });
    const expected = model.predictProba(data.x);
    expect(configureTreePrediction({ threads: 2 })).toBe(false); // no compiled worker under ts-jest
    expect(
      configureTreePrediction({
        threads: 2,
        workerScript: join(lib, 'parallel', 'predict-worker.js'),
      }),
    ).toBe(true);
    try {
      expect(Array.from(model.predictProba(data.x))).toEqual(Array.from(expected));
    } finally {
      configureTreePrediction({ threads: 1 });
    }
  });

  it('should terminate the worker when aborted', async () => {
    const data = syntheticData('binary', 3000, 10, 4);
    const controller = new AbortController();
    const run = trainInWorker(
      { learner: 'random-forest', options: { task: 'binary', nEstimators: 500 } },
      data.x,
      data.y,
      { workerScript: join(lib, 'parallel', 'train-worker.js'), signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 200);
    await expect(run).rejects.toBeInstanceOf(TrainingAbortedError);
  });
});
