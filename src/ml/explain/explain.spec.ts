import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataMatrix, type Column } from '../core/matrix';
import { Random } from '../core/random';
import { fitHistGradientBoosting } from '../boosting/hist-gradient-boosting';
import { fitRandomForest } from '../forest/random-forest';
import { syntheticData } from '../trees/synthetic';
import { partialDependence, permutationImportance, splitGainImportance } from './importance';
import { treeShapEnsemble, treeShapValues, type ShapValues } from './tree-shap';
import { flatTreeFromXgboost, type XgbDumpNode } from './xgboost-import';

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'ml', 'trees');

function rowSums(shap: ShapValues, row: number, output: number): number {
  const w = shap.nFeatures + 1;
  let s = 0;
  for (let j = 0; j < w; j++) s += shap.values[(row * shap.nOutputs + output) * w + j];
  return s;
}

function mixedData(): { x: DataMatrix; y: Float64Array } {
  const data = syntheticData('multiclass', 1200, 5, 1, { nClasses: 3, missingRate: 0.05 });
  const rng = new Random(2);
  const codes = Int32Array.from({ length: 1200 }, () => (rng.next() < 0.05 ? -1 : rng.int(6)));
  const cat: Column = {
    kind: 'categorical',
    name: 'c',
    codes,
    levels: ['a', 'b', 'c', 'd', 'e', 'f'],
  };
  const y = data.y.map((v, i) => (codes[i] === 2 ? 0 : v));
  return { x: new DataMatrix([...data.x.columns, cat]), y };
}

describe('TreeSHAP', () => {
  it('should add up exactly to the raw score of a boosted multiclass model', () => {
    const { x, y } = mixedData();
    const model = fitHistGradientBoosting(x, y, { task: 'multiclass', maxIterations: 20 });
    const sample = x.takeRows(Int32Array.from({ length: 50 }, (_, i) => i * 7));
    const shap = treeShapValues(model, sample);
    const raw = model.predictRaw(sample);
    for (let i = 0; i < 50; i++) {
      for (let k = 0; k < 3; k++)
        expect(Math.abs(rowSums(shap, i, k) - raw[i * 3 + k])).toBeLessThan(1e-9);
    }
  });

  it('should add up exactly to the class probabilities of a forest', () => {
    const data = syntheticData('binary', 600, 4, 3);
    const model = fitRandomForest(data.x, data.y, { task: 'binary', nEstimators: 5, maxDepth: 8 });
    const sample = data.x.takeRows(Int32Array.from({ length: 30 }, (_, i) => i * 11));
    const shap = treeShapValues(model, sample);
    const proba = model.predictProba(sample);
    for (let i = 0; i < 30; i++) {
      for (let k = 0; k < 2; k++)
        expect(Math.abs(rowSums(shap, i, k) - proba[i * 2 + k])).toBeLessThan(1e-9);
    }
  });

  it.each(['diabetes', 'breast_cancer'])('should match XGBoost pred_contribs on %s', (name) => {
    const fixture = JSON.parse(readFileSync(join(FIXTURES, 'xgb_shap.json'), 'utf8')) as Record<
      string,
      {
        objective: string;
        nFeatures: number;
        trees: XgbDumpNode[];
        rows: (number | null)[][];
        contribs: number[][];
        margin: number[];
      }
    >;
    const f = fixture[name];
    const trees = f.trees.map(flatTreeFromXgboost);
    const x = DataMatrix.fromRows(f.rows.map((r) => r.map((v) => (v === null ? Number.NaN : v))));
    const base = f.objective === 'binary:logistic' ? 0 : 0.5;
    const shap = treeShapEnsemble(
      {
        trees,
        outputOf: new Int32Array(trees.length),
        scale: 1,
        base: Float64Array.of(base),
        nOutputs: 1,
      },
      x,
    );
    const tol = name === 'diabetes' ? 1e-4 : 1e-6; // XGBoost sums in float32; diabetes targets are ~150
    for (let i = 0; i < f.rows.length; i++) {
      expect(Math.abs(rowSums(shap, i, 0) - f.margin[i])).toBeLessThan(tol);
      for (let j = 0; j <= f.nFeatures; j++) {
        expect(Math.abs(shap.values[i * (f.nFeatures + 1) + j] - f.contribs[i][j])).toBeLessThan(
          tol,
        );
      }
    }
  });
});

describe('importances and partial dependence', () => {
  it('should rank informative features above noise', () => {
    const data = syntheticData('regression', 1500, 8, 4);
    const model = fitHistGradientBoosting(data.x, data.y, {
      task: 'regression',
      maxIterations: 30,
    });
    const gain = splitGainImportance(model);
    expect(gain.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(Math.min(...gain.slice(0, 5))).toBeGreaterThan(Math.max(...gain.slice(5)));
    const perm = permutationImportance(model, data.x, data.y, { nRepeats: 2 });
    expect(Math.min(...perm.mean.slice(0, 2))).toBeGreaterThan(Math.max(...perm.mean.slice(5)));
  });

  it('should trace a monotone effect with partial dependence', () => {
    const n = 1000;
    const rng = new Random(5);
    const a = Float64Array.from({ length: n }, () => rng.normal());
    const b = Float64Array.from({ length: n }, () => rng.normal());
    const y = Float64Array.from({ length: n }, (_, i) => 3 * a[i] + 0.1 * rng.normal());
    const x = new DataMatrix([
      { kind: 'numeric', name: 'a', values: a },
      { kind: 'numeric', name: 'b', values: b },
    ]);
    const model = fitHistGradientBoosting(x, y, { task: 'regression', maxIterations: 50 });
    const pd = partialDependence(model, x, 0, { gridResolution: 10 });
    expect(pd.grid.length).toBe(10);
    for (let g = 1; g < 10; g++) expect(pd.average[g]).toBeGreaterThan(pd.average[g - 1]);
  });
});
