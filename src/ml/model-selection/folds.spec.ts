import { loadStatsFixture } from '../../../test/fixtures/ml/stats/load';
import {
  foldsFromAssignment,
  foldsFromIndices,
  kFold,
  repeatedKFold,
  stratifiedKFold,
  trainTestSplit,
  type Fold,
} from './index';

interface ModelSelectionFixture {
  y: number[];
  stratified_5: { train: number[]; test: number[] }[];
  kfold_23_4: { train: number[]; test: number[] }[];
}

const fx = loadStatsFixture<ModelSelectionFixture>('model_selection');

function expectPartition(folds: Fold[], n: number): void {
  const testCount = new Int32Array(n);
  for (const f of folds) {
    expect(f.train.length + f.test.length).toBe(n);
    const all = new Set([...f.train, ...f.test]);
    expect(all.size).toBe(n);
    for (const i of f.test) testCount[i]++;
  }
  expect([...testCount].every((c) => c === 1)).toBe(true);
}

describe('k-fold splitters', () => {
  it('should equal sklearn KFold without shuffling', () => {
    const folds = kFold(23, { k: 4 });
    expect(folds.map((f) => [...f.test])).toEqual(fx.kfold_23_4.map((f) => f.test));
    expect(folds.map((f) => [...f.train])).toEqual(fx.kfold_23_4.map((f) => f.train));
  });

  it('should equal sklearn StratifiedKFold without shuffling', () => {
    const folds = stratifiedKFold(fx.y, { k: 5 });
    expect(folds.map((f) => [...f.test])).toEqual(fx.stratified_5.map((f) => f.test));
    expect(folds.map((f) => [...f.train])).toEqual(fx.stratified_5.map((f) => f.train));
  });

  it('should keep the same per-fold class counts as sklearn when shuffling, reproducibly', () => {
    const a = stratifiedKFold(fx.y, { k: 5, shuffle: true, seed: 7 });
    const b = stratifiedKFold(fx.y, { k: 5, shuffle: true, seed: 7 });
    expect(a.map((f) => [...f.test])).toEqual(b.map((f) => [...f.test]));
    expectPartition(a, fx.y.length);
    const classCounts = (idx: Int32Array): number[] =>
      [0, 1, 2].map((c) => [...idx].filter((i) => fx.y[i] === c).length);
    expect(a.map((f) => classCounts(f.test))).toEqual(
      fx.stratified_5.map((f) => classCounts(Int32Array.from(f.test))),
    );
  });

  it('should partition rows in shuffled k-fold', () => {
    const folds = kFold(101, { k: 7, shuffle: true, seed: 3 });
    expectPartition(folds, 101);
    expect(folds.map((f) => f.test.length)).toEqual([15, 15, 15, 14, 14, 14, 14]);
  });

  it('should produce k × repeats folds, each repeat a partition', () => {
    const folds = repeatedKFold(30, { k: 3, repeats: 4, seed: 1 });
    expect(folds).toHaveLength(12);
    for (let r = 0; r < 4; r++) expectPartition(folds.slice(3 * r, 3 * r + 3), 30);
    expect([...folds[0].test]).not.toEqual([...folds[3].test]);
    const strat = repeatedKFold(fx.y.length, { k: 5, repeats: 2, stratify: fx.y });
    expectPartition(strat.slice(0, 5), fx.y.length);
  });
});

describe('hold-out split', () => {
  it('should take ceil(testSize · n) rows for the test part', () => {
    const s = trainTestSplit(10, { testSize: 0.25, seed: 1 });
    expect(s.test.length).toBe(3);
    expect(s.train.length).toBe(7);
  });

  it('should keep class proportions when stratified', () => {
    const y = Array.from({ length: 200 }, (_, i) => (i % 10 === 0 ? 1 : 0));
    const s = trainTestSplit(200, { testSize: 0.3, stratify: y, seed: 2 });
    expect(s.test.length).toBe(60);
    expect([...s.test].filter((i) => y[i] === 1).length).toBe(6);
  });
});

describe('externally supplied folds', () => {
  it('should accept folds exported from Python and reject overlaps', () => {
    const folds = foldsFromIndices(fx.stratified_5, fx.y.length);
    expectPartition(folds, fx.y.length);
    expect(() => foldsFromIndices([{ train: [0, 1], test: [1] }], 3)).toThrow(RangeError);
    expect(() => foldsFromIndices([{ train: [0, 5], test: [1] }], 3)).toThrow(RangeError);
  });

  it('should build folds from a per-row assignment like PredefinedSplit', () => {
    const folds = foldsFromAssignment([0, 1, -1, 0, 1]);
    expect(folds.map((f) => [...f.test])).toEqual([
      [0, 3],
      [1, 4],
    ]);
    expect([...folds[0].train]).toEqual([1, 2, 4]);
  });
});
