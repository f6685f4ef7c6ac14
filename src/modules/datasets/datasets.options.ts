import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Tunables of the datasets domain. */
export interface DatasetsOptions {
  /** Largest accepted upload, in bytes (413 beyond). */
  maxUploadBytes: number;
  /** Local scratch folder for processing and the Parquet cache. */
  scratchDir: string;
  /** Bound of the local Parquet LRU cache used by the rows endpoint, in bytes. */
  cacheMaxBytes: number;
  /** Prefix of every object key of the domain (tests use one of their own). */
  storagePrefix: string;
  duckdbThreads: number;
  duckdbMemoryLimit: string;
}

export const DATASETS_OPTIONS = Symbol('DATASETS_OPTIONS');

/**
 * Defaults until the lead adds a `datasets` config namespace (DATASET_MAX_UPLOAD_BYTES,
 * DATASET_SCRATCH_DIR, DATASET_CACHE_MAX_BYTES, DATASET_DUCKDB_THREADS, DATASET_DUCKDB_MEMORY);
 * tests override the provider.
 */
export function defaultDatasetsOptions(): DatasetsOptions {
  return {
    maxUploadBytes: 2 * 1024 ** 3,
    scratchDir: join(tmpdir(), 'narrativeml-datasets'),
    cacheMaxBytes: 2 * 1024 ** 3,
    storagePrefix: 'datasets/',
    duckdbThreads: 2,
    duckdbMemoryLimit: '768MB',
  };
}
