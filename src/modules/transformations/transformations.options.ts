import type { AppConfig } from 'src/core/config';

/** Tunables of the transformations domain (the `transformations` configuration namespace). */
export type TransformationsOptions = AppConfig['transformations'];

export const TRANSFORMATIONS_OPTIONS = Symbol('TRANSFORMATIONS_OPTIONS');

export function transformationsOptionsFrom(config: AppConfig): TransformationsOptions {
  return config.transformations;
}
