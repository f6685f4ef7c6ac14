import type { AppConfig } from 'src/core/config';

/** Tunables of the datasets domain (the `datasets` configuration namespace). */
export type DatasetsOptions = AppConfig['datasets'];

export const DATASETS_OPTIONS = Symbol('DATASETS_OPTIONS');

export function datasetsOptionsFrom(config: AppConfig): DatasetsOptions {
  return config.datasets;
}
