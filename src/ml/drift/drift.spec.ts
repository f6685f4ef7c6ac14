import { loadStatsFixture } from '../../../test/fixtures/ml/stats/load';
import { DataMatrix } from '../core/matrix';
import { Random } from '../core/random';
import {
  andersonFromSketch,
  andersonKSamp,
  chi2Sf,
  chiSquareContingency,
  chiSquareFromCounts,
  driftReport,
  hellingerFromCounts,
  histogramDrift,
  jensenShannonFromCounts,
  klFromCounts,
  kolmogorovNSf,
  ks2Samp,
  ks2SampFromSketch,
  normalisedWasserstein,
  numericDrift,
  psiFromCounts,
  sketchMatrix,
  sketchNumeric,
  totalVariationFromCounts,
  wasserstein1,
  wasserstein1FromSketch,
  deserializeSketch,
  serializeSketch,
  withTrainingSketch,
  type CategoricalDrift,
  type SerializedSketch,
} from './index';

interface DriftCase {
  ref: number[];
  cur: number[];
  n_bins: number;
  alpha: number;
  interior_edges: number[];
  ref_counts: number[];
  cur_counts: number[];
  psi: number;
  kl: number;
  js: number;
  hellinger: number;
  tv: number;
  ks_statistic: number;
  ks_pvalue: number;
  ad_statistic: number;
  ad_pvalue: number;
  ad_critical: number[];
  wasserstein: number;
  ref_std: number;
}

interface DriftFixture {
  cases: Record<string, DriftCase>;
  ks_asymptotic: {
    n1: number;
    n2: number;
    a: number[];
    b: number[];
    statistic: number;
    pvalue: number;
  }[];
  kstwo_sf: { d: number; n: number; sf: number }[];
  categorical: {
    ref_counts: number[];
    cur_counts: number[];
    chi2: number;
    chi2_p: number;
    chi2_dof: number;
    chi2_nc: number;
    chi2_nc_p: number;
    table22: number[][];
    chi2_22_yates: number;
    chi2_22_yates_p: number;
    chi2_22: number;
    chi2_22_p: number;
    tv: number;
    js: number;
    hellinger: number;
    psi: number;
    kl: number;
  };
  chi2_sf: { x: number; dof: number; sf: number }[];
}

const fx = loadStatsFixture<DriftFixture>('drift');
const TOL = 1e-9;

function expectClose(actual: number, expected: number, tol = TOL): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol);
}

describe.each(Object.entries(fx.cases))('drift statistics on case %s', (_name, c) => {
  const sketch = sketchNumeric('x', c.ref, { nBins: c.n_bins });

  it('should build the reference-quantile bins and counts like numpy', () => {
    expect([...sketch.interiorEdges]).toEqual(c.interior_edges);
    expect([...sketch.binCounts]).toEqual(c.ref_counts);
  });

  it('should compute PSI, KL, JS, Hellinger and TV exactly from the sketch', () => {
    const d = numericDrift(sketch, c.cur, { alpha: c.alpha });
    expectClose(d.psi, c.psi);
    expectClose(d.kl, c.kl);
    expectClose(d.jensenShannon, c.js);
    expectClose(d.hellinger, c.hellinger);
    expectClose(d.totalVariation, c.tv);
    const raw = histogramDrift(c.ref, c.cur, { nBins: c.n_bins, alpha: c.alpha });
    expectClose(raw.psi, c.psi);
    expectClose(raw.kl, c.kl);
    expectClose(raw.jensenShannon, c.js);
    expectClose(raw.hellinger, c.hellinger);
    expectClose(raw.totalVariation, c.tv);
    expectClose(psiFromCounts(c.ref_counts, c.cur_counts), c.psi);
    expectClose(klFromCounts(c.ref_counts, c.cur_counts), c.kl);
    expectClose(jensenShannonFromCounts(c.ref_counts, c.cur_counts), c.js);
    expectClose(hellingerFromCounts(c.ref_counts, c.cur_counts), c.hellinger);
    expectClose(totalVariationFromCounts(c.ref_counts, c.cur_counts), c.tv);
  });

  it('should match scipy ks_2samp on raw samples', () => {
    const r = ks2Samp(c.ref, c.cur);
    expectClose(r.statistic, c.ks_statistic);
    expectClose(r.pValue, c.ks_pvalue);
  });

  it('should approximate KS from the sketch within the stated bound', () => {
    const r = ks2SampFromSketch(sketch, c.cur);
    expect(Math.abs(r.statistic - c.ks_statistic)).toBeLessThanOrEqual(r.errorBound);
  });

  it('should match scipy wasserstein_distance and stay within the sketch bound', () => {
    expectClose(wasserstein1(c.ref, c.cur), c.wasserstein);
    const w = wasserstein1FromSketch(sketch, c.cur);
    expect(Math.abs(w.value - c.wasserstein)).toBeLessThanOrEqual(w.errorBound);
    expect(w.errorBound).toBeLessThanOrEqual(
      (3 * Math.max(1, Math.ceil(1000 / c.ref.length)) * (sketch.max - sketch.min)) / 1000,
    );
    expectClose(sketch.std, c.ref_std);
    expectClose(
      normalisedWasserstein(wasserstein1(c.ref, c.cur), sketch.std),
      c.wasserstein / c.ref_std,
    );
  });

  it('should match scipy anderson_ksamp (statistic, critical values, capped p-value)', () => {
    const r = andersonKSamp([c.ref, c.cur]);
    expectClose(r.statistic, c.ad_statistic);
    expectClose(r.pValue, c.ad_pvalue);
    [...r.criticalValues].forEach((v, i) => expectClose(v, c.ad_critical[i]));
  });

  it('should approximate Anderson–Darling from the sketch within the documented tolerance', () => {
    const r = andersonFromSketch(sketch, c.cur);
    expect(Math.abs(r.statistic - c.ad_statistic)).toBeLessThanOrEqual(
      0.05 + 0.02 * Math.abs(c.ad_statistic),
    );
    expect(Math.abs(r.pValue - c.ad_pvalue)).toBeLessThanOrEqual(0.02);
  });
});

describe('KS p-values in the asymptotic regime (max n > 10000)', () => {
  it.each(fx.ks_asymptotic.map((c) => [c.n1, c.n2, c] as const))(
    'should match scipy for n1=%i n2=%i',
    (_n1, _n2, c) => {
      const r = ks2Samp(c.a, c.b);
      expectClose(r.statistic, c.statistic);
      expectClose(r.pValue, c.pvalue);
    },
  );

  it('should match scipy kstwo.sf across its regimes', () => {
    const bad = fx.kstwo_sf
      .map((k) => ({ ...k, got: kolmogorovNSf(k.d, k.n) }))
      .filter((k) => !(Math.abs(k.got - k.sf) <= TOL));
    expect(bad).toEqual([]);
  });
});

describe('categorical drift', () => {
  const c = fx.categorical;

  it('should match scipy chi2_contingency with and without Yates', () => {
    const r = chiSquareFromCounts(c.ref_counts, c.cur_counts);
    expectClose(r.statistic, c.chi2);
    expectClose(r.pValue, c.chi2_p);
    expect(r.dof).toBe(c.chi2_dof);
    expectClose(chiSquareFromCounts(c.ref_counts, c.cur_counts, false).statistic, c.chi2_nc);
    const y = chiSquareContingency(c.table22);
    expectClose(y.statistic, c.chi2_22_yates);
    expectClose(y.pValue, c.chi2_22_yates_p);
    const n = chiSquareContingency(c.table22, false);
    expectClose(n.statistic, c.chi2_22);
    expectClose(n.pValue, c.chi2_22_p);
  });

  it('should match scipy chi2.sf', () => {
    for (const s of fx.chi2_sf) expectClose(chi2Sf(s.x, s.dof), s.sf, 1e-12 + 1e-10 * s.sf);
  });

  it('should compute all scores from a DataMatrix and its sketch, with unseen levels', () => {
    const levels = ['a', 'b', 'c', 'd', 'e', 'f'];
    const codesFrom = (counts: number[]): Int32Array =>
      Int32Array.from(counts.flatMap((n, level) => Array.from({ length: n }, () => level)));
    const refCodes = codesFrom(c.ref_counts);
    const train = new DataMatrix([{ kind: 'categorical', name: 'cat', codes: refCodes, levels }]);
    const sketches = sketchMatrix(train);
    // current data uses its own level order and an unseen level 'z' instead of 'e'
    const curLevels = ['f', 'e', 'd', 'c', 'b', 'a'];
    const curCodes = Int32Array.from(
      c.cur_counts.flatMap((n, level) => Array.from({ length: n }, () => 5 - level)),
    );
    const current = new DataMatrix([
      { kind: 'categorical', name: 'cat', codes: curCodes, levels: curLevels },
    ]);
    const [d] = driftReport(sketches, current) as CategoricalDrift[];
    expectClose(d.totalVariation, c.tv);
    expectClose(d.jensenShannon, c.js);
    expectClose(d.hellinger, c.hellinger);
    expectClose(d.psi, c.psi);
    expectClose(d.kl, c.kl);
    expectClose(d.chiSquare.statistic, c.chi2);
    expect(d.unseenLevels).toEqual({});

    const withNew = new DataMatrix([
      {
        kind: 'categorical',
        name: 'cat',
        codes: Int32Array.from([0, 1, 2, -1]),
        levels: ['a', 'z', 'b'],
      },
    ]);
    const [e] = driftReport(sketches, withNew) as CategoricalDrift[];
    expect(e.unseenLevels).toEqual({ z: 1 });
    expect(e.missingRate.current).toBe(0.25);
  });
});

describe('sketchMatrix', () => {
  it('should sketch numeric columns with NaN and keep quantile extremes', () => {
    const x = DataMatrix.fromRows([[1], [Number.NaN], [3], [2]], ['v']);
    const [s] = sketchMatrix(x, { nQuantiles: 5 });
    if (s.kind !== 'numeric') throw new Error('expected numeric');
    expect(s.count).toBe(3);
    expect(s.missing).toBe(1);
    expect([...s.quantiles]).toEqual([1, 1.5, 2, 2.5, 3]);
    expect(s.mean).toBe(2);
  });
});

describe('sketch-based statistics on a large reference', () => {
  it('should keep KS, Wasserstein and Anderson–Darling close to the raw-sample values', () => {
    const rng = new Random(11);
    const ref = Float64Array.from({ length: 20000 }, () => rng.normal());
    const cur = Float64Array.from({ length: 3000 }, () => 0.1 + 1.1 * rng.normal());
    const sketch = sketchNumeric('x', ref);
    const ks = ks2SampFromSketch(sketch, cur);
    const exact = ks2Samp(ref, cur);
    expect(Math.abs(ks.statistic - exact.statistic)).toBeLessThanOrEqual(ks.errorBound);
    expect(ks.errorBound).toBeLessThan(0.0011);
    const w = wasserstein1FromSketch(sketch, cur);
    const wExact = wasserstein1(ref, cur);
    expect(Math.abs(w.value - wExact)).toBeLessThanOrEqual(w.errorBound);
    expect(w.errorBound).toBeLessThan((3 * (sketch.max - sketch.min)) / 1000);
    const ad = andersonFromSketch(sketch, cur);
    const adExact = andersonKSamp([ref, cur]);
    expect(Math.abs(ad.statistic - adExact.statistic)).toBeLessThanOrEqual(
      0.05 + 0.02 * adExact.statistic,
    );
  });
});

describe('sketch persistence', () => {
  it('should round-trip through JSON and give identical drift scores', () => {
    const c = fx.cases.normal_shift;
    const x = new DataMatrix([{ kind: 'numeric', name: 'v', values: Float64Array.from(c.ref) }]);
    const fit = withTrainingSketch((m: DataMatrix) => m.nRows);
    const { model, sketch } = fit(x, new Float64Array(x.nRows), undefined);
    expect(model).toBe(c.ref.length);
    const restored = (
      JSON.parse(JSON.stringify(sketch.map(serializeSketch))) as SerializedSketch[]
    ).map(deserializeSketch);
    const current = new DataMatrix([
      { kind: 'numeric', name: 'v', values: Float64Array.from(c.cur) },
    ]);
    expect(driftReport(restored, current)).toEqual(driftReport(sketch, current));
  });
});

describe('degenerate columns', () => {
  it('should not throw on constant or empty columns', () => {
    const constant = sketchNumeric('c', [2, 2, 2, 2]);
    const same = numericDrift(constant, [2, 2, 2]);
    expect(same.psi).toBeCloseTo(0, 12);
    expect(same.ks.statistic).toBe(0);
    expect(same.wasserstein.normalised).toBe(0);
    expect(Number.isNaN(same.andersonDarling.statistic)).toBe(true);
    const moved = numericDrift(constant, [3, 3]);
    expect(moved.wasserstein.value).toBe(1);
    expect(moved.wasserstein.normalised).toBe(Number.POSITIVE_INFINITY);
    const empty = sketchNumeric('e', [Number.NaN, Number.NaN]);
    const d = numericDrift(empty, [1, 2]);
    expect(Number.isNaN(d.psi)).toBe(true);
    expect(d.missingRate.reference).toBe(1);
    const cat = new DataMatrix([
      { kind: 'categorical', name: 'k', codes: Int32Array.from([0, 0]), levels: ['a'] },
    ]);
    const [single] = driftReport(sketchMatrix(cat), cat) as CategoricalDrift[];
    expect(single.chiSquare.pValue).toBe(1);
    const allMissing = new DataMatrix([
      { kind: 'categorical', name: 'k', codes: Int32Array.from([-1]), levels: ['a'] },
    ]);
    const [none] = driftReport(sketchMatrix(cat), allMissing) as CategoricalDrift[];
    expect(Number.isNaN(none.psi)).toBe(true);
  });
});
