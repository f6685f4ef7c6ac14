import type { DuckDBInstance } from '@duckdb/node-api';
import { withConnection } from './duckdb';
import { renderHtmlReport } from './html-report';
import { type DatasetProfile, profileParquet, type ProgressReporter } from './profiler';
import type { StructureReport } from './structure-validator';
import { type ColumnSchema, contentHash, createTypedCopy, type TypingMethod } from './typed-copy';

export interface ProcessedFile {
  columns: ColumnSchema[];
  rowCount: number;
  typedBy: TypingMethod;
  contentHash: string;
  profile: DatasetProfile;
  html: string;
}

/**
 * The whole processing of one local file: typed Parquet copy at `parquetPath`, canonical
 * content hash, profile and HTML report. Deterministic, so re-running it is harmless.
 * `onTypedCopy` is called as soon as the Parquet file is complete (a caller can start storing it
 * while the hash and profile are computed).
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
    async (connection) => {
      await progress(0.02, 'typing');
      const copy = await createTypedCopy(
        connection,
        input.sourcePath,
        input.structure,
        input.parquetPath,
      );
      signal?.throwIfAborted();
      onTypedCopy?.();
      await progress(0.3, 'hashing');
      const hash = await contentHash(connection, input.parquetPath, copy.columns);
      signal?.throwIfAborted();
      const profile = await profileParquet(
        connection,
        input.parquetPath,
        copy.columns,
        (fraction, stage) => progress(0.35 + 0.6 * fraction, stage),
      );
      return { ...copy, contentHash: hash, profile, html: renderHtmlReport(profile, input.title) };
    },
    signal,
  );
}
