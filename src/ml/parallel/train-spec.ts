import type { Column, DataMatrix } from '../core/matrix';
import {
  fitHistGradientBoosting,
  type HistGradientBoostingModel,
  type HistGradientBoostingOptions,
} from '../boosting/hist-gradient-boosting';
import {
  fitRandomForest,
  type RandomForestModel,
  type RandomForestOptions,
} from '../forest/random-forest';
import type { TrainControl } from '../trees/types';

type Plain<T> = Omit<T, 'signal' | 'onProgress' | 'deadline' | 'validation'>;

/** Which learner to fit, with options that survive structured cloning (no callbacks). */
export type TrainSpec =
  | {
      readonly learner: 'hist-gradient-boosting';
      readonly options: Plain<HistGradientBoostingOptions>;
    }
  | { readonly learner: 'random-forest'; readonly options: Plain<RandomForestOptions> };

export interface TrainRequest {
  readonly spec: TrainSpec;
  readonly columns: readonly Column[];
  readonly y: Float64Array;
  readonly deadline?: number;
}

export function fitSpec(
  spec: TrainSpec,
  x: DataMatrix,
  y: Float64Array,
  control: TrainControl,
): HistGradientBoostingModel | RandomForestModel {
  switch (spec.learner) {
    case 'hist-gradient-boosting':
      return fitHistGradientBoosting(x, y, { ...spec.options, ...control });
    case 'random-forest':
      return fitRandomForest(x, y, { ...spec.options, ...control });
  }
}
