import { HistGradientBoostingModel } from '../boosting/hist-gradient-boosting';
import type { FittedModel } from '../core/estimator';
import { RandomForestModel } from '../forest/random-forest';
import type { Design } from '../linear/design';
import { LogisticRegressionModel } from '../linear/logistic';
import { RidgeModel } from '../linear/ridge';
import { GaussianNbModel } from '../naive-bayes/gaussian-nb';
import { KnnClassifierModel, KnnRegressorModel } from '../neighbors/knn';
import { align8, wrapPayload } from '../persistence/envelope';
import { ModelFormatError, ModelFormatErrorCode } from '../persistence/model-format-error';
import { serializeModel } from '../persistence/model-serializer';
import { BlendingEnsembleModel, StackingEnsembleModel, VotingEnsembleModel } from './ensembles';

/**
 * Binary envelope for every model AutoML can return (the tree format in `persistence/` covers
 * boosting and forests only):
 *
 *   0 'NMLA' magic   4 u16 version (2)   6 u16 reserved   8 u32 payload bytes   12 u32 CRC-32
 *   16 payload = u32 header length, UTF-8 JSON header `{ root, blobs }` (the model tree; typed
 *   arrays are blob indices), zero padding to a multiple of 8, a u32 byte length per blob
 *   (the table padded to 8), then the blobs, each padded to a multiple of 8.
 *
 * Nodes by `kind`: 'hist-gradient-boosting' | 'random-forest' | 'extra-trees' `{ bytes }`
 * (embedded `NMLM` from `serializeModel`); 'logistic' `{ nClasses, design, coef, intercept,
 * classes, iterations }`; 'ridge' `{ design, coef, intercept }`; 'knn-classifier' |
 * 'knn-regressor' `{ nClasses, k, weights, design, train, targets }` (the standardised
 * training rows); 'gaussian-nb' `{ nClasses, design, theta, variance, prior, epsilon }`;
 * 'soft-voting' `{ task, nClasses, members }`; 'stacking' and 'blending' (same fields, the
 * meta-learner fit on hold-out outputs instead of out-of-fold ones) `{ task, nClasses, members,
 * meta }`.
 * A design is `{ standardize, columns: [{ kind, name, levels? }], mean, scale }` (see
 * `linear/design-spec.ts`): imputation means, scales and one-hot levels.
 *
 * Numbers live in little-endian float64 / int32 blobs, so they round-trip exactly. Nothing
 * depends on time or object identity, so the same model gives the same bytes. Version 1 (the
 * first writer) stored designs without their one-hot levels and cannot be read back.
 */
export const AUTOML_MODEL_MAGIC = 'NMLA';
export const AUTOML_MODEL_FORMAT_VERSION = 2;

type Blob = Uint8Array;
type Node = Record<string, unknown>;

class BlobWriter {
  readonly blobs: Blob[] = [];

  f64(values: ArrayLike<number>): number {
    const bytes = new Uint8Array(values.length * 8);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < values.length; i++) view.setFloat64(i * 8, values[i], true);
    return this.raw(bytes);
  }

  i32(values: ArrayLike<number>): number {
    const bytes = new Uint8Array(values.length * 4);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < values.length; i++) view.setInt32(i * 4, values[i], true);
    return this.raw(bytes);
  }

  raw(bytes: Uint8Array): number {
    this.blobs.push(bytes);
    return this.blobs.length - 1;
  }
}

function designNode(design: Design, w: BlobWriter): Node {
  const spec = design.spec;
  if (!spec) {
    throw new ModelFormatError(
      ModelFormatErrorCode.UnknownModelKind,
      'cannot serialise a design without its spec (fit it with fitDesign or designFromSpec)',
    );
  }
  return {
    standardize: spec.standardize,
    columns: spec.columns.map((c) =>
      c.kind === 'numeric'
        ? { kind: c.kind, name: c.name }
        : { kind: c.kind, name: c.name, levels: [...c.levels] },
    ),
    mean: w.f64(spec.mean),
    scale: w.f64(spec.scale),
  };
}

function modelNode(model: FittedModel, w: BlobWriter): Node {
  if (model instanceof HistGradientBoostingModel || model instanceof RandomForestModel) {
    return { kind: model.kind, bytes: w.raw(serializeModel(model)) };
  }
  if (model instanceof LogisticRegressionModel) {
    return {
      kind: 'logistic',
      nClasses: model.nClasses,
      design: designNode(model.design, w),
      coef: w.f64(model.coef),
      intercept: w.f64(model.intercept),
      classes: w.i32(model.classes),
      iterations: model.iterations,
    };
  }
  if (model instanceof RidgeModel) {
    return {
      kind: 'ridge',
      design: designNode(model.design, w),
      coef: w.f64(model.coef),
      intercept: w.f64([model.intercept]),
    };
  }
  if (model instanceof KnnClassifierModel || model instanceof KnnRegressorModel) {
    return {
      kind: model instanceof KnnClassifierModel ? 'knn-classifier' : 'knn-regressor',
      nClasses: model.nClasses,
      k: model.k,
      weights: model.weights,
      design: designNode(model.design, w),
      // the standardised training rows and targets are the model
      train: w.f64(model['train']),
      targets: w.f64(model['targets']),
    };
  }
  if (model instanceof GaussianNbModel) {
    return {
      kind: 'gaussian-nb',
      nClasses: model.nClasses,
      design: designNode(model.design, w),
      theta: w.f64(model.theta),
      variance: w.f64(model.variance),
      prior: w.f64(model.prior),
      epsilon: w.f64([model.epsilon]),
    };
  }
  if (model instanceof VotingEnsembleModel) {
    return {
      kind: model.kind,
      task: model.task,
      nClasses: model.nClasses,
      members: model.members.map((m) => modelNode(m, w)),
    };
  }
  if (model instanceof StackingEnsembleModel || model instanceof BlendingEnsembleModel) {
    return {
      kind: model.kind,
      task: model.task,
      nClasses: model.nClasses,
      members: model.members.map((m) => modelNode(m, w)),
      meta: modelNode(model.meta, w),
    };
  }
  throw new ModelFormatError(
    ModelFormatErrorCode.UnknownModelKind,
    `cannot serialise a ${model.constructor.name}`,
  );
}

/** Serialises any model AutoML returns (single learner or ensemble) deterministically. */
export function serializeAutoMlModel(model: FittedModel): Uint8Array {
  const w = new BlobWriter();
  const root = modelNode(model, w);
  const json = new TextEncoder().encode(JSON.stringify({ root, blobs: w.blobs.length }));
  let offset = align8(4 + json.length);
  const lengths = w.blobs.map((b) => b.length);
  const lengthTable = align8(4 * lengths.length);
  offset += lengthTable;
  const total = offset + w.blobs.reduce((s, b) => s + align8(b.length), 0);
  const payload = new Uint8Array(total);
  const view = new DataView(payload.buffer);
  view.setUint32(0, json.length, true);
  payload.set(json, 4);
  const tableStart = align8(4 + json.length);
  lengths.forEach((len, i) => view.setUint32(tableStart + 4 * i, len, true));
  for (const b of w.blobs) {
    payload.set(b, offset);
    offset += align8(b.length);
  }
  return wrapPayload(AUTOML_MODEL_MAGIC, AUTOML_MODEL_FORMAT_VERSION, payload);
}
