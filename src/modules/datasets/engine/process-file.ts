import type { DuckDBInstance } from '@duckdb/node-api';
import { withConnection } from './duckdb';
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
    },
    signal,
  );
}
