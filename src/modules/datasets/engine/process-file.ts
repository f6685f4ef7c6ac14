import type { DuckDBInstance } from '@duckdb/node-api';
import { DatasetError, DatasetErrorCode } from '../datasets.errors';
import { isOutOfMemory, withConnection } from './duckdb';
import { renderHtmlReport } from './html-report';
import { type DatasetProfile, profileTable, type ProgressReporter } from './profiler';
import type { StructureReport } from './structure-validator';
import { type ColumnSchema, createTypedCopy, type TypingMethod } from './typed-copy';

export interface ProcessedFile {
  columns: ColumnSchema[];
  rowCount: number;
  typedBy: TypingMethod;
  contentHash: string;
  profile: DatasetProfile;
  html: string;
}

/**
 * The whole processing of one local file: typed Parquet copy at `parquetPath`, then one profile
 * that also yields the canonical content hash and the semantic types, and the HTML report.
 * Deterministic, so re-running it is harmless. `onTypedCopy` is called as soon as the Parquet
 * file is complete (a caller can start storing it while the profile is computed).
 */
export async function processLocalFile(
  instance: DuckDBInstance,
  input: { sourcePath: string; structure: StructureReport; parquetPath: string; title: string },
  progress: ProgressReporter = () => undefined,
  signal?: AbortSignal,
  onTypedCopy?: () => void,
): Promise<ProcessedFile> {
  return withConnection(
    instance,
    (connection) =>
      outOfMemoryAsDatasetError(async () => {
        await progress(0.02, 'typing');
        const copy = await createTypedCopy(
          connection,
          input.sourcePath,
          input.structure,
          input.parquetPath,
        );
        signal?.throwIfAborted();
        onTypedCopy?.();
        const { profile, columns, contentHash } = await profileTable(
          connection,
          input.parquetPath,
          copy.columns,
          (fraction, stage) => progress(0.3 + 0.65 * fraction, stage),
          { inferSemanticTypes: true },
        );
        return {
          columns,
          rowCount: profile.rowCount,
          typedBy: copy.typedBy,
          contentHash,
          profile,
          html: renderHtmlReport(profile, input.title),
        };
      }),
    signal,
  );
}

/**
 * DuckDB out of memory is a property of the file, not a passing fault: no retry will fit it.
 * What mostly gets there is a Parquet file with huge row groups, which DuckDB reads whole.
 */
async function outOfMemoryAsDatasetError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isOutOfMemory(error)) throw error;
    const message = (error as Error).message;
    throw new DatasetError(
      DatasetErrorCode.TooLargeForMemory,
      `Processing needs more memory than DuckDB may use here (DATASET_DUCKDB_MEMORY): ${message.split('\n')[0]}. A Parquet file is read a row group at a time: write it with smaller row groups (100,000 rows or fewer), or raise the limit.`,
      { cause: error },
    );
  }
}
