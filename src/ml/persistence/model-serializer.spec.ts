import { DataMatrix, type Column } from '../core/matrix';
import { fitHistGradientBoosting } from '../boosting/hist-gradient-boosting';
import { fitRandomForest } from '../forest/random-forest';
import { syntheticData } from '../trees/synthetic';
import { ModelFormatError, ModelFormatErrorCode } from './model-format-error';
import { deserializeModel, serializeModel } from './model-serializer';

function withCategorical(): { x: DataMatrix; y: Float64Array } {
  const data = syntheticData('multiclass', 800, 4, 1, { nClasses: 3, missingRate: 0.05 });
  const codes = new Int32Array(800).map((_, i) => (i % 7 === 0 ? -1 : (i * 13) % 5));
  const cat: Column = { kind: 'categorical', name: 'c', codes, levels: ['a', 'b', 'c', 'd', 'e'] };
  return { x: new DataMatrix([...data.x.columns, cat]), y: data.y };
}

describe('model serialisation', () => {
  it('should round-trip a boosted model with identical predictions', () => {
    const { x, y } = withCategorical();
    const model = fitHistGradientBoosting(x, y, { task: 'multiclass', maxIterations: 15 });
    const bytes = serializeModel(model);
    const loaded = deserializeModel(bytes);
    expect(loaded.kind).toBe('hist-gradient-boosting');
    expect(loaded.featureNames).toEqual(model.featureNames);
    expect(Array.from(loaded.predictProba(x))).toEqual(Array.from(model.predictProba(x)));
  });

  it('should round-trip a forest with identical predictions', () => {
    const data = syntheticData('regression', 500, 5, 2);
    const model = fitRandomForest(data.x, data.y, {
      task: 'regression',
      nEstimators: 5,
      oobScore: true,
    });
    const loaded = deserializeModel(serializeModel(model));
    expect(Array.from(loaded.predict(data.x))).toEqual(Array.from(model.predict(data.x)));
    expect(loaded.kind).toBe('random-forest');
  });

  it('should refuse data that is not a model, a newer version, truncation and corruption', () => {
    const data = syntheticData('binary', 300, 3, 3);
    const bytes = serializeModel(
      fitHistGradientBoosting(data.x, data.y, { task: 'binary', maxIterations: 3 }),
    );
    const codeOf = (b: Uint8Array): ModelFormatErrorCode | string => {
      try {
        deserializeModel(b);
        return 'loaded';
      } catch (error) {
        return error instanceof ModelFormatError ? error.code : 'other error';
      }
    };
    expect(codeOf(new TextEncoder().encode('{"hello":"world"} and more bytes'))).toBe(
      ModelFormatErrorCode.NotAModel,
    );
    const newer = bytes.slice();
    newer[4] = 99;
    expect(codeOf(newer)).toBe(ModelFormatErrorCode.UnsupportedVersion);
    expect(codeOf(bytes.slice(0, bytes.length - 10))).toBe(ModelFormatErrorCode.Truncated);
    expect(codeOf(bytes.slice(0, 5))).toBe(ModelFormatErrorCode.Truncated);
    const flipped = bytes.slice();
    flipped[bytes.length - 3] ^= 0x40;
    expect(codeOf(flipped)).toBe(ModelFormatErrorCode.ChecksumMismatch);
  });
});
