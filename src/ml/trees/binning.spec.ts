import { DataMatrix, type Column } from '../core/matrix';
import { Random } from '../core/random';
import { BinMapper, MISSING_BIN } from './binning';
import { accumulateTrees, featureColumns, FlatTreeBuilder, leafIndex } from './flat-tree';

describe('BinMapper', () => {
  it('should give each of few distinct values its own bin with midpoint thresholds', () => {
    const x = DataMatrix.fromRows([[3], [1], [2], [Number.NaN], [2], [1]]);
    const mapper = BinMapper.fit(x);
    expect(mapper.features[0].nBins).toBe(3);
    expect(Array.from(mapper.features[0].thresholds)).toEqual([1.5, 2.5]);
    expect(Array.from(mapper.transform(x).columns[0])).toEqual([2, 0, 1, MISSING_BIN, 1, 0]);
  });

  it('should cut many distinct values into at most 255 quantile bins of similar size', () => {
    const rng = new Random(1);
    const values = Float64Array.from({ length: 20000 }, () => rng.normal());
    const x = new DataMatrix([{ kind: 'numeric', name: 'a', values }]);
    const mapper = BinMapper.fit(x);
    expect(mapper.features[0].nBins).toBe(255);
    const counts = new Int32Array(256);
    for (const b of mapper.transform(x).columns[0]) counts[b]++;
    for (let b = 0; b < 255; b++) expect(Math.abs(counts[b] - 20000 / 255)).toBeLessThan(20);
  });

  it('should bin on a sample when there are more rows than the sample size', () => {
    const values = Float64Array.from({ length: 5000 }, (_, i) => i);
    const x = new DataMatrix([{ kind: 'numeric', name: 'a', values }]);
    const mapper = BinMapper.fit(x, { sampleSize: 1000, maxBins: 10 });
    expect(mapper.features[0].nBins).toBe(10);
    const t = mapper.features[0].thresholds;
    expect(t[4]).toBeGreaterThan(2000);
    expect(t[4]).toBeLessThan(3000);
  });

  it('should map categorical codes to bins and missing codes to the missing bin', () => {
    const column: Column = {
      kind: 'categorical',
      name: 'c',
      codes: Int32Array.of(0, 2, -1, 1),
      levels: ['a', 'b', 'c'],
    };
    const x = new DataMatrix([column]);
    const mapper = BinMapper.fit(x);
    expect(mapper.features[0].categorical).toBe(true);
    expect(Array.from(mapper.transform(x).columns[0])).toEqual([0, 2, MISSING_BIN, 1]);
  });

  it('should share the binned data through SharedArrayBuffers when asked', () => {
    const x = DataMatrix.fromRows([[1], [2]]);
    const bins = BinMapper.fit(x).transform(x, true);
    expect(bins.columns[0].buffer).toBeInstanceOf(SharedArrayBuffer);
  });
});

describe('FlatTree prediction', () => {
  it('should route numeric, missing and categorical values as the split says', () => {
    const b = new FlatTreeBuilder(1);
    const root = b.addLeaf([0], 10);
    const l = b.addLeaf([1], 6);
    const r = b.addLeaf([2], 4);
    b.setSplit(
      root,
      { feature: 0, threshold: 0.5, binThreshold: 0, missingLeft: false, gain: 1 },
      l,
      r,
    );
    const ll = b.addLeaf([3], 3);
    const lr = b.addLeaf([4], 3);
    b.setSplit(
      l,
      {
        feature: 1,
        threshold: 0,
        binThreshold: 0,
        missingLeft: true,
        gain: 1,
        leftCategories: [1, 3],
      },
      ll,
      lr,
    );
    const tree = b.build();
    const codes = Int32Array.of(1, 2, -1, 3, 0);
    const x = new DataMatrix([
      { kind: 'numeric', name: 'a', values: Float64Array.of(0, 0.5, 0.2, Number.NaN, 7) },
      { kind: 'categorical', name: 'c', codes, levels: ['p', 'q', 'r', 's'] },
    ]);
    const cols = featureColumns(x);
    expect([0, 1, 2, 3, 4].map((i) => tree.value[leafIndex(tree, cols, i)])).toEqual([
      3, 4, 3, 2, 2,
    ]);
    const out = new Float64Array(5);
    accumulateTrees([tree, tree], cols, 5, out, 1, 0, 0.5);
    expect(Array.from(out)).toEqual([3, 4, 3, 2, 2]);
  });
});
