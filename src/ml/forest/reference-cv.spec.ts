import {
  crossValidate,
  loadDataset,
  loadFolds,
  loadReference,
  type FixtureName,
} from '../../../test/fixtures/ml/trees/load-fixture';
import { fitRandomForest } from './random-forest';

/**
 * 5-fold CV on the folds exported by scripts/ml-fixtures/trees_make_fixtures.py must land within
 * the mean ± 2 std of sklearn's RandomForest(100) over the fold seeds.
 */
describe('random forest against scikit-learn', () => {
  const cases: [FixtureName, number[]][] = [
    ['breast_cancer', [0, 1]],
    ['wine', [0, 1, 2, 3, 4]],
    ['diabetes', [0, 1]],
  ];
  it.each(cases)('should score like sklearn on %s', (name, seeds) => {
    const data = loadDataset(name);
    const folds = loadFolds(name);
    const ref = loadReference(name);
    const scores = seeds.map((s) =>
      crossValidate(data, folds[s], ref.metric, (x, y, xTest) =>
        fitRandomForest(x, y, { task: ref.task, nEstimators: 100, seed: s }).predict(xTest),
      ),
    );
    const ours = scores.reduce((a, b) => a + b, 0) / scores.length;
    const refMean = seeds.reduce((a, s) => a + ref.forest.perSeed[s], 0) / seeds.length;
    process.stdout.write(
      `${name}: ours ${ours.toFixed(4)} sklearn ${refMean.toFixed(4)} (±2σ ${(2 * ref.forest.std).toFixed(4)})\n`,
    );
    expect(Math.abs(ours - refMean)).toBeLessThanOrEqual(2 * ref.forest.std + 1e-9);
  });
});
