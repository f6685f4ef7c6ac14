import { type HistGradientBoostingModel } from '../boosting/hist-gradient-boosting';
import type { Task } from '../core/estimator';
import { type RandomForestModel } from '../forest/random-forest';
import type { Design } from '../linear/design';
import { type DesignColumnSpec, designFromSpec, designWidth } from '../linear/design-spec';
import { LogisticRegressionModel } from '../linear/logistic';
import { RidgeModel } from '../linear/ridge';
import { GaussianNbModel } from '../naive-bayes/gaussian-nb';
import { KnnClassifierModel, KnnRegressorModel } from '../neighbors/knn';
import { align8, unwrapPayload } from '../persistence/envelope';
import { ModelFormatError, ModelFormatErrorCode } from '../persistence/model-format-error';
import { deserializeModel, MODEL_MAGIC } from '../persistence/model-serializer';
import { BlendingEnsembleModel, StackingEnsembleModel, VotingEnsembleModel } from './ensembles';
import { outputWidth } from './scoring';
import { AUTOML_MODEL_FORMAT_VERSION, AUTOML_MODEL_MAGIC } from './serialize-automl-model';

/** Every model `runAutoMl` can return, i.e. every model `deserializeAutoMlModel` can give back. */
export type AutoMlModel =
  | HistGradientBoostingModel
  | RandomForestModel
  | LogisticRegressionModel
  | RidgeModel
  | KnnClassifierModel
  | KnnRegressorModel
  | GaussianNbModel
  | VotingEnsembleModel
  | StackingEnsembleModel
  | BlendingEnsembleModel;

const malformed = (detail: string): ModelFormatError =>
  new ModelFormatError(ModelFormatErrorCode.Malformed, detail);

/**
 * Reads the typed-array blobs of a payload and checks the JSON model tree against them. Every
 * blob must be used exactly once, with the length its field implies.
 */
class BlobReader {
  private readonly used: boolean[];

  constructor(
    private readonly payload: Uint8Array,
    private readonly offsets: readonly number[],
    private readonly lengths: readonly number[],
  ) {
    this.used = lengths.map(() => false);
  }

  raw(node: Record<string, unknown>, key: string, path: string): Uint8Array {
    const index = node[key];
    if (!(
      Number.isInteger(index) &&
      (index as number) >= 0 &&
      (index as number) < this.lengths.length
    )) {
      throw malformed(`${path}.${key} is not a blob index`);
    }
    const i = index as number;
    if (this.used[i]) throw malformed(`${path}.${key} reuses blob ${i}`);
    this.used[i] = true;
    return this.payload.subarray(this.offsets[i], this.offsets[i] + this.lengths[i]);
  }

  f64(node: Record<string, unknown>, key: string, path: string, length?: number): Float64Array {
    const bytes = this.raw(node, key, path);
    if (bytes.length % 8 !== 0) throw malformed(`${path}.${key} is not a float64 array`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out = new Float64Array(bytes.length / 8);
    for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(i * 8, true);
    expectLength(out, length, `${path}.${key}`);
    return out;
  }

  i32(node: Record<string, unknown>, key: string, path: string, length?: number): Int32Array {
    const bytes = this.raw(node, key, path);
    if (bytes.length % 4 !== 0) throw malformed(`${path}.${key} is not an int32 array`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out = new Int32Array(bytes.length / 4);
    for (let i = 0; i < out.length; i++) out[i] = view.getInt32(i * 4, true);
    expectLength(out, length, `${path}.${key}`);
    return out;
  }

  assertAllUsed(): void {
    const unused = this.used.indexOf(false);
    if (unused >= 0) throw malformed(`blob ${unused} is not used by the model`);
  }
}

function expectLength(a: ArrayLike<number>, length: number | undefined, path: string): void {
  if (length !== undefined && a.length !== length) {
    throw malformed(`${path} has ${a.length} values, expected ${length}`);
  }
}

function object(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformed(`${path} is not an object`);
  }
  return value as Record<string, unknown>;
}

function int(node: Record<string, unknown>, key: string, path: string, min: number): number {
  const v = node[key];
  if (!(Number.isInteger(v) && (v as number) >= min)) {
    throw malformed(`${path}.${key} must be an integer >= ${min}`);
  }
  return v as number;
}

function str(node: Record<string, unknown>, key: string, path: string): string {
  const v = node[key];
  if (typeof v !== 'string') throw malformed(`${path}.${key} must be a string`);
  return v;
}

function list(node: Record<string, unknown>, key: string, path: string): unknown[] {
  const v = node[key];
  if (!Array.isArray(v)) throw malformed(`${path}.${key} must be an array`);
  return v;
}

function task(node: Record<string, unknown>, path: string): Task {
  const t = node.task;
  if (t !== 'regression' && t !== 'binary' && t !== 'multiclass') {
    throw malformed(`${path}.task "${String(t)}" is not a task`);
  }
  return t;
}

function classCodes(values: ArrayLike<number>, nClasses: number, path: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(Number.isInteger(v) && v >= 0 && v < nClasses)) {
      throw malformed(`${path}[${i}] = ${v} is not a class code below ${nClasses}`);
    }
  }
}

function readDesign(value: unknown, path: string, r: BlobReader): Design {
  const node = object(value, path);
  const standardize = node.standardize;
  if (typeof standardize !== 'boolean') throw malformed(`${path}.standardize must be a boolean`);
  const columns: DesignColumnSpec[] = list(node, 'columns', path).map((c, j) => {
    const col = object(c, `${path}.columns[${j}]`);
    const name = str(col, 'name', `${path}.columns[${j}]`);
    if (col.kind === 'numeric') return { kind: 'numeric', name };
    if (col.kind !== 'categorical') throw malformed(`${path}.columns[${j}].kind`);
    const levels = list(col, 'levels', `${path}.columns[${j}]`);
    if (!levels.every((l) => typeof l === 'string')) {
      throw malformed(`${path}.columns[${j}].levels must be strings`);
    }
    return { kind: 'categorical', name, levels };
  });
  const width = designWidth(columns);
  return designFromSpec({
    standardize,
    columns,
    mean: r.f64(node, 'mean', path, width),
    scale: r.f64(node, 'scale', path, width),
  });
}

function readModel(value: unknown, path: string, r: BlobReader, nested: boolean): AutoMlModel {
  const node = object(value, path);
  const kind = node.kind;
  switch (kind) {
    case 'hist-gradient-boosting':
    case 'random-forest':
    case 'extra-trees': {
      const model = deserializeModel(r.raw(node, 'bytes', path));
      if (model.kind !== kind) throw malformed(`${path} holds a ${model.kind}, not a ${kind}`);
      return model;
    }
    case 'logistic': {
      const nClasses = int(node, 'nClasses', path, 2);
      const design = readDesign(node.design, `${path}.design`, r);
      const classes = r.i32(node, 'classes', path);
      if (classes.length < 2) throw malformed(`${path}.classes needs two classes or more`);
      classCodes(classes, nClasses, `${path}.classes`);
      for (let i = 1; i < classes.length; i++) {
        if (classes[i] <= classes[i - 1]) throw malformed(`${path}.classes must increase`);
      }
      const rows = classes.length === 2 ? 1 : classes.length;
      return new LogisticRegressionModel(
        design,
        r.f64(node, 'coef', path, rows * design.nFeatures),
        r.f64(node, 'intercept', path, rows),
        classes,
        nClasses,
        int(node, 'iterations', path, 0),
      );
    }
    case 'ridge': {
      const design = readDesign(node.design, `${path}.design`, r);
      const coef = r.f64(node, 'coef', path, design.nFeatures);
      return new RidgeModel(design, coef, r.f64(node, 'intercept', path, 1)[0]);
    }
    case 'knn-classifier':
    case 'knn-regressor': {
      const classifier = kind === 'knn-classifier';
      const nClasses = int(node, 'nClasses', path, classifier ? 2 : 1);
      if (!classifier && nClasses !== 1) throw malformed(`${path}.nClasses must be 1`);
      const k = int(node, 'k', path, 1);
      const weights = node.weights;
      if (weights !== 'uniform' && weights !== 'distance') {
        throw malformed(`${path}.weights must be 'uniform' or 'distance'`);
      }
      const design = readDesign(node.design, `${path}.design`, r);
      const targets = r.f64(node, 'targets', path);
      if (targets.length === 0) throw malformed(`${path}.targets is empty`);
      const train = r.f64(node, 'train', path, targets.length * design.nFeatures);
      if (!classifier) return new KnnRegressorModel(design, train, targets, k, weights);
      classCodes(targets, nClasses, `${path}.targets`);
      return new KnnClassifierModel(design, train, targets, k, weights, nClasses);
    }
    case 'gaussian-nb': {
      const nClasses = int(node, 'nClasses', path, 2);
      const design = readDesign(node.design, `${path}.design`, r);
      const size = nClasses * design.nFeatures;
      return new GaussianNbModel(
        design,
        r.f64(node, 'theta', path, size),
        r.f64(node, 'variance', path, size),
        r.f64(node, 'prior', path, nClasses),
        r.f64(node, 'epsilon', path, 1)[0],
        nClasses,
      );
    }
    case 'soft-voting':
    case 'stacking':
    case 'blending': {
      if (nested) throw malformed(`${path}: an ensemble cannot be an ensemble member`);
      const t = task(node, path);
      const nClasses = int(node, 'nClasses', path, t === 'regression' ? 1 : 2);
      if ((t === 'regression') !== (nClasses === 1) || (t === 'binary') !== (nClasses === 2)) {
        throw malformed(`${path}: ${nClasses} classes for a ${t} task`);
      }
      const members = list(node, 'members', path).map((m, i) => {
        const member = readModel(m, `${path}.members[${i}]`, r, true);
        if (member.task !== t || member.nClasses !== nClasses) {
          throw malformed(`${path}.members[${i}] is a ${member.task} model, not ${t}`);
        }
        return member;
      });
      if (members.length === 0) throw malformed(`${path}.members is empty`);
      if (kind === 'soft-voting') return new VotingEnsembleModel(t, nClasses, members);
      const meta = readModel(node.meta, `${path}.meta`, r, true);
      const perMember = t === 'binary' ? 1 : outputWidth(t, nClasses);
      const expected = t === 'regression' ? 'ridge' : 'logistic';
      if (
        !(meta instanceof RidgeModel || meta instanceof LogisticRegressionModel) ||
        (meta instanceof RidgeModel ? 'ridge' : 'logistic') !== expected ||
        meta.nClasses !== nClasses ||
        meta.design.nSourceColumns !== members.length * perMember ||
        meta.design.spec?.columns.some((c) => c.kind !== 'numeric')
      ) {
        throw malformed(`${path}.meta does not fit ${members.length} ${t} members`);
      }
      return kind === 'stacking'
        ? new StackingEnsembleModel(t, nClasses, members, meta)
        : new BlendingEnsembleModel(t, nClasses, members, meta);
    }
    default:
      throw new ModelFormatError(
        ModelFormatErrorCode.UnknownModelKind,
        `${path}.kind "${String(kind)}"`,
      );
  }
}

/**
 * Loads a model written by {@link serializeAutoMlModel} (a bare `NMLM` tree model from
 * `persistence/serializeModel` is accepted too). The loaded model predicts bit for bit like
 * the saved one and serialises back to the same bytes. Anything else is refused with a
 * {@link ModelFormatError}: `NotAModel` (wrong magic), `UnsupportedVersion`, `Truncated`,
 * `ChecksumMismatch`, `Malformed` (structurally invalid payload: bad JSON, blob lengths or
 * indices, inconsistent shapes, class codes out of range, trailing bytes) or
 * `UnknownModelKind`.
 */
export function deserializeAutoMlModel(bytes: Uint8Array): AutoMlModel {
  // a plain tree model (NMLM) is an AutoML model too; anything else must be NMLA
  if (String.fromCharCode(...bytes.subarray(0, 4)) === MODEL_MAGIC) return deserializeModel(bytes);
  const payload = unwrapPayload(bytes, AUTOML_MODEL_MAGIC, AUTOML_MODEL_FORMAT_VERSION, {
    exact: true,
  });
  const view = new DataView(payload.buffer);
  if (payload.length < 4) throw malformed('no header');
  const jsonLength = view.getUint32(0, true);
  if (4 + jsonLength > payload.length) throw malformed('header longer than payload');
  let header: Record<string, unknown>;
  try {
    header = object(
      JSON.parse(
        new TextDecoder('utf-8', { fatal: true }).decode(payload.subarray(4, 4 + jsonLength)),
      ),
      'header',
    );
  } catch (error) {
    if (error instanceof ModelFormatError) throw error;
    throw malformed('header is not JSON');
  }
  const nBlobs = int(header, 'blobs', 'header', 0);
  const tableStart = align8(4 + jsonLength);
  let offset = tableStart + align8(4 * nBlobs);
  if (offset > payload.length) throw malformed('blob table runs past the payload');
  const offsets: number[] = [];
  const lengths: number[] = [];
  for (let i = 0; i < nBlobs; i++) {
    const len = view.getUint32(tableStart + 4 * i, true);
    if (offset + align8(len) > payload.length) throw malformed(`blob ${i} runs past the payload`);
    offsets.push(offset);
    lengths.push(len);
    offset += align8(len);
  }
  if (offset !== payload.length) throw malformed('trailing bytes after the last blob');
  const reader = new BlobReader(payload, offsets, lengths);
  const model = readModel(header.root, 'root', reader, false);
  reader.assertAllUsed();
  return model;
}
