import { loadDataset } from '../../../test/fixtures/ml/trees/load-fixture';
import type { FittedModel } from '../core/estimator';
import { type Column, DataMatrix } from '../core/matrix';
import { fitLogistic } from '../linear/logistic';
import { fitRidge } from '../linear/ridge';
import { fitGaussianNb } from '../naive-bayes/gaussian-nb';
import { fitKnnClassifier, fitKnnRegressor } from '../neighbors/knn';
import { crc32 } from '../persistence/crc32';
import { ModelFormatError, ModelFormatErrorCode } from '../persistence/model-format-error';
import {
  type AutoMlModel,
  AUTOML_MODEL_FORMAT_VERSION,
  deserializeAutoMlModel,
  fitMetaLearner,
  type LearnerName,
  modelOutput,
  runAutoMl,
  serializeAutoMlModel,
  stackingFeatures,
  StackingEnsembleModel,
  VotingEnsembleModel,
} from './index';

/**
 * A fixture table with what the designs must carry: missing numerics, a categorical column
 * whose level contains '=', one with no levels at all (every value missing), plus a copy whose
 * categorical levels are reordered and include a level never seen in training.
 */
function mixed(name: 'wine' | 'diabetes' | 'breast_cancer'): {
  x: DataMatrix;
  y: Float64Array;
  shifted: DataMatrix;
} {
  const { x, y } = loadDataset(name);
  const n = x.nRows;
  const numeric = x.columns.map((c, j): Column => {
    if (c.kind !== 'numeric' || j > 1) return c;
    const values = c.values.map((v, i) => (i % 11 === 3 + j ? Number.NaN : v));
    return { ...c, values };
  });
  const source = x.columns[2].kind === 'numeric' ? x.columns[2].values : new Float64Array(n);
  const sorted = Float64Array.from(source).sort();
  const lo = sorted[Math.floor(n / 3)];
  const hi = sorted[Math.floor((2 * n) / 3)];
  const codes = Int32Array.from(source, (v, i) =>
    i % 13 === 0 ? -1 : v < lo ? 0 : v < hi ? 1 : 2,
  );
  const levels = ['low', 'mid=2', 'high'];
  const grade: Column = { kind: 'categorical', name: 'grade', codes, levels };
  const empty: Column = {
    kind: 'categorical',
    name: 'empty',
    codes: new Int32Array(n).fill(-1),
    levels: [],
  };
  // same rows, levels listed in another order, some rows moved to an unseen level
  const remap = [2, 3, 0];
  const shiftedGrade: Column = {
    kind: 'categorical',
    name: 'grade',
    codes: codes.map((c, i) => (c < 0 ? c : i % 7 === 0 ? 1 : remap[c])),
    levels: ['high', 'unseen', 'low', 'mid=2'],
  };
  return {
    x: new DataMatrix([...numeric, grade, empty]),
    y,
    shifted: new DataMatrix([...numeric, shiftedGrade, empty]),
  };
}

const wine = mixed('wine');
const diabetes = mixed('diabetes');
const cancer = mixed('breast_cancer');

function bits(a: Float64Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Loads the model back and checks predictions and bytes. */
function expectRoundTrip(model: FittedModel, inputs: readonly DataMatrix[]): AutoMlModel {
  const bytes = serializeAutoMlModel(model);
  const loaded = deserializeAutoMlModel(bytes);
  expect(loaded.constructor).toBe(model.constructor);
  expect(loaded.task).toBe(model.task);
  expect(loaded.nClasses).toBe(model.nClasses);
  for (const x of inputs) {
    expect(bits(loaded.predict(x)).equals(bits(model.predict(x)))).toBe(true);
    expect(bits(loaded.predictProba(x)).equals(bits(model.predictProba(x)))).toBe(true);
  }
  expect(Buffer.from(serializeAutoMlModel(loaded)).equals(Buffer.from(bytes))).toBe(true);
  return loaded;
}

function autoMlWinner(
  data: { x: DataMatrix; y: Float64Array },
  learner: LearnerName,
  maxCandidates = 1,
): FittedModel {
  return runAutoMl(
    data.x,
    { kind: 'values', values: data.y },
    {
      mode: 'reproducible',
      maxCandidates,
      seed: 4,
      folds: 2,
      learners: [learner],
      ensemble: false,
    },
  ).model;
}

describe('AutoML model persistence', () => {
  it.each([
    ['logistic (multiclass)', wine, 'logistic'],
    ['logistic (binary)', cancer, 'logistic'],
    ['ridge', diabetes, 'ridge'],
    ['kNN classifier', wine, 'knn'],
    ['kNN regressor', diabetes, 'knn'],
    ['Gaussian naive Bayes', wine, 'gaussian-nb'],
    ['hist gradient boosting', wine, 'hist-gradient-boosting'],
  ] as const)(
    'should load the %s winner with identical predictions and bytes',
    (_label, data, learner) => {
      // a second candidate draws non-default hyperparameters (distance weights, other C, …)
      const model = autoMlWinner(data, learner, learner === 'hist-gradient-boosting' ? 1 : 2);
      expectRoundTrip(model, [data.x, data.shifted]);
    },
  );

  it.each(['random-forest', 'extra-trees'] as const)(
    'should load a %s winner with identical predictions and bytes',
    (learner) => {
      const model = runAutoMl(
        diabetes.x.takeRows(Int32Array.from({ length: 200 }, (_, i) => i)),
        { kind: 'values', values: diabetes.y.subarray(0, 200) },
        { mode: 'reproducible', maxCandidates: 1, folds: 2, learners: [learner], ensemble: false },
      ).model;
      expect(model.constructor.name).toBe('RandomForestModel');
      expectRoundTrip(model, [diabetes.x, diabetes.shifted]);
    },
  );

  it('should load soft-voting and stacking ensembles with their preprocessing', () => {
    const { x, y, shifted } = wine;
    const members = [
      fitLogistic(x, y, { C: 0.3, nClasses: 3 }),
      fitKnnClassifier(x, y, { k: 7, weights: 'distance', nClasses: 3 }),
      fitGaussianNb(x, y, { nClasses: 3 }),
    ];
    expectRoundTrip(new VotingEnsembleModel('multiclass', 3, members), [x, shifted]);
    const meta = fitMetaLearner(
      'multiclass',
      3,
      stackingFeatures(
        'multiclass',
        3,
        members.map((m) => modelOutput(m, x)),
      ),
      y,
    );
    expectRoundTrip(new StackingEnsembleModel('multiclass', 3, members, meta), [x, shifted]);

    const regressors = [
      fitRidge(diabetes.x, diabetes.y, { alpha: 2, standardize: true }),
      fitKnnRegressor(diabetes.x, diabetes.y, { k: 9 }),
    ];
    const ridgeMeta = fitMetaLearner(
      'regression',
      1,
      stackingFeatures(
        'regression',
        1,
        regressors.map((m) => m.predict(diabetes.x)),
      ),
      diabetes.y,
    );
    expectRoundTrip(new StackingEnsembleModel('regression', 1, regressors, ridgeMeta), [
      diabetes.x,
      diabetes.shifted,
    ]);
  });

  it('should load the ensemble a reproducible AutoML run picks', () => {
    const result = runAutoMl(
      cancer.x,
      { kind: 'values', values: cancer.y },
      {
        mode: 'reproducible',
        maxCandidates: 4,
        seed: 1,
        learners: ['gaussian-nb', 'logistic', 'knn'],
      },
    );
    expect(result.ensembles.length).toBeGreaterThan(0);
    expectRoundTrip(result.model, [cancer.x, cancer.shifted]);
  });
});

/** Rebuilds a file after editing its JSON header, with a valid checksum. */
function withHeader(
  bytes: Uint8Array,
  edit: (header: Record<string, unknown>) => void,
): Uint8Array {
  const payload = bytes.subarray(16);
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const jsonLength = view.getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(payload.subarray(4, 4 + jsonLength))) as {
    blobs: number;
  };
  const oldTable = align8(4 + jsonLength);
  const body = payload.subarray(oldTable);
  edit(header);
  const json = new TextEncoder().encode(JSON.stringify(header));
  const start = align8(4 + json.length);
  const out = new Uint8Array(16 + start + body.length);
  const outView = new DataView(out.buffer);
  out.set(bytes.subarray(0, 16));
  outView.setUint32(16, json.length, true);
  out.set(json, 20);
  out.set(body, 16 + start);
  outView.setUint32(8, start + body.length, true);
  outView.setUint32(12, crc32(out.subarray(16)), true);
  return out;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

function refusal(bytes: Uint8Array): string {
  try {
    deserializeAutoMlModel(bytes);
    return 'loaded';
  } catch (error) {
    return error instanceof ModelFormatError ? `${error.code}: ${error.message}` : String(error);
  }
}

describe('AutoML model file refusal', () => {
  const { x, y } = wine;
  const members = [fitLogistic(x, y, { nClasses: 3 }), fitKnnClassifier(x, y, { nClasses: 3 })];
  const meta = fitMetaLearner(
    'multiclass',
    3,
    stackingFeatures(
      'multiclass',
      3,
      members.map((m) => modelOutput(m, x)),
    ),
    y,
  );
  const bytes = serializeAutoMlModel(new StackingEnsembleModel('multiclass', 3, members, meta));
  type Root = { kind: string; members: Record<string, unknown>[]; meta: Record<string, unknown> };
  const root = (h: Record<string, unknown>): Root => h.root as Root;

  it('should load the unedited file (the cases below differ by one defect each)', () => {
    expect(refusal(bytes)).toBe('loaded');
    expect(refusal(withHeader(bytes, () => undefined))).toBe('loaded');
  });

  it('should refuse bytes that are not a model', () => {
    expect(refusal(new TextEncoder().encode('{"root":{}} and then some bytes'))).toMatch(
      ModelFormatErrorCode.NotAModel,
    );
  });

  it.each([0, 1, AUTOML_MODEL_FORMAT_VERSION + 1])('should refuse format version %d', (v) => {
    const other = bytes.slice();
    new DataView(other.buffer).setUint16(4, v, true);
    expect(refusal(other)).toMatch(
      new RegExp(`^${ModelFormatErrorCode.UnsupportedVersion}: .*version ${v}`),
    );
  });

  it('should refuse a truncated file', () => {
    expect(refusal(bytes.slice(0, 10))).toMatch(ModelFormatErrorCode.Truncated);
    expect(refusal(bytes.slice(0, bytes.length - 1))).toMatch(ModelFormatErrorCode.Truncated);
  });

  it('should refuse a file with a flipped bit or trailing bytes', () => {
    const flipped = bytes.slice();
    flipped[bytes.length - 5] ^= 0x10;
    expect(refusal(flipped)).toMatch(ModelFormatErrorCode.ChecksumMismatch);
    const longer = new Uint8Array(bytes.length + 8);
    longer.set(bytes);
    expect(refusal(longer)).toMatch(ModelFormatErrorCode.Malformed);
  });

  it.each<[string, (h: Record<string, unknown>) => void, RegExp]>([
    ['an unknown model kind', (h) => (root(h).kind = 'svm'), /UNKNOWN_MODEL_KIND.*"svm"/],
    ['a blob index out of range', (h) => (root(h).members[0].coef = 999), /members\[0\]\.coef/],
    [
      'a blob used twice',
      (h) => {
        const design = root(h).members[0].design as Record<string, unknown>;
        design.scale = design.mean;
      },
      /MALFORMED.*design\.scale reuses blob/,
    ],
    [
      'coefficients of the wrong length',
      (h) => {
        const m = root(h).members[0];
        [m.coef, m.intercept] = [m.intercept, m.coef];
      },
      /MALFORMED.*coef has 3 values/,
    ],
    ['a missing design', (h) => delete root(h).members[1].design, /members\[1\]\.design is not/],
    ['k = 0', (h) => (root(h).members[1].k = 0), /members\[1\]\.k must be an integer >= 1/],
    [
      'a level list that is not strings',
      (h) => {
        const design = root(h).members[0].design as { columns: Record<string, unknown>[] };
        design.columns[13].levels = [1, 2, 3];
      },
      /levels must be strings/,
    ],
    [
      'a categorical column turned numeric (design width changes)',
      (h) => {
        const design = root(h).members[0].design as { columns: Record<string, unknown>[] };
        design.columns[13] = { kind: 'numeric', name: 'grade' };
      },
      /design\.mean has 16 values, expected 14/,
    ],
    [
      'a member of another task',
      (h) => (h.root = { ...root(h), task: 'binary', nClasses: 2 }),
      /MALFORMED/,
    ],
    [
      'a nested ensemble',
      (h) =>
        (root(h).members[1] = {
          kind: 'soft-voting',
          task: 'multiclass',
          nClasses: 3,
          members: [],
        }),
      /cannot be an ensemble member/,
    ],
    ['a wrong blob count', (h) => (h.blobs = 2), /MALFORMED/],
    ['a header that is not an object', (h) => (h.root = [1, 2]), /root is not an object/],
  ])('should refuse a structurally invalid payload: %s', (_label, edit, expected) => {
    expect(refusal(withHeader(bytes, edit))).toMatch(expected);
  });

  it('should refuse a kNN target that is not a class code', () => {
    const knn = fitKnnClassifier(x, y, { nClasses: 3 });
    const file = serializeAutoMlModel(knn);
    const patched = withHeader(file, (h) => ((h.root as Record<string, unknown>).nClasses = 2));
    expect(refusal(patched)).toMatch(/targets\[\d+\] = 2 is not a class code below 2/);
  });
});
