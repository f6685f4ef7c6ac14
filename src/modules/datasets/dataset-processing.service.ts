import { createReadStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DatasetVersionsRepository } from './dataset-versions.repository';
import { DATASETS_OPTIONS, type DatasetsOptions } from './datasets.options';
import { DuckDbService } from './duckdb.service';
import { processLocalFile } from './engine/process-file';
import type { ProgressReporter } from './engine/profiler';
import { DatasetStorage, keysBesideSource } from './storage/dataset-storage';
import { ParquetCache } from './storage/parquet-cache';
import { structureOfSource } from './version-source';

/**
 * Turns an uploaded version into a typed Parquet copy, a content hash, a profile and an HTML
 * report. Idempotent: a ready version is left alone, a missing one (deleted meanwhile) is
 * skipped, and every output has a deterministic key, so a retry overwrites a partial run.
 */
@Injectable()
export class DatasetProcessingService {
  private readonly logger = new Logger(DatasetProcessingService.name);

  constructor(
    private readonly versions: DatasetVersionsRepository,
    private readonly storage: DatasetStorage,
    private readonly duckdb: DuckDbService,
    private readonly parquetCache: ParquetCache,
    @Inject(DATASETS_OPTIONS) private readonly options: DatasetsOptions,
  ) {}

  async processDataset(
    datasetId: string,
    versionId: string,
    reportProgress: ProgressReporter = () => undefined,
    signal?: AbortSignal,
  ): Promise<void> {
    const version = await this.versions.findById(versionId);
    if (!version || version.datasetId !== datasetId || version.status === 'ready') return;
    const workDir = join(
      this.options.scratchDir,
      'work',
      `${versionId}-${randomBytes(4).toString('hex')}`,
    );
    const keys = keysBesideSource(version.source.key);
    const parquetPath = join(workDir, 'data.parquet');
    let parquetUpload: Promise<void> | undefined;
    /** Starts storing the typed copy once; later calls return the same upload. */
    const storeTypedCopy = (): Promise<void> => {
      parquetUpload ??= this.storage.putFile(
        keys.parquet,
        createReadStream(parquetPath),
        'application/vnd.apache.parquet',
      );
      return parquetUpload;
    };
    try {
      await mkdir(workDir, { recursive: true });
      const sourcePath = join(workDir, 'source');
      await this.storage.downloadSource(version.source, sourcePath);
      signal?.throwIfAborted();
      let lastWrite = 0;
      const progress: ProgressReporter = async (fraction, stage) => {
        await reportProgress(fraction, stage);
        if (Date.now() - lastWrite > 1000) {
          lastWrite = Date.now();
          await this.versions.setProgress(versionId, fraction, stage);
        }
      };
      const result = await processLocalFile(
        await this.duckdb.get(),
        {
          sourcePath,
          parquetPath,
          title: version.source.fileName,
          structure: structureOfSource(version.source),
        },
        progress,
        signal,
        // The typed copy goes to storage while the hash and profile are computed.
        () => void storeTypedCopy().catch(() => undefined), // awaited below, failures handled there
      );
      signal?.throwIfAborted();
      const parquetBytes = (await stat(parquetPath)).size;
      await Promise.all([
        storeTypedCopy(),
        this.storage.put(keys.profile, JSON.stringify(result.profile), 'application/json'),
        this.storage.put(keys.report, result.html, 'text/html; charset=utf-8'),
      ]);
      await this.versions.markReady(versionId, {
        columns: result.columns,
        rowCount: result.rowCount,
        columnCount: result.columns.length,
        contentHash: result.contentHash,
        parquetBytes,
      });
      // A pipeline is often applied next: this worker then reads the file from disk.
      await this.parquetCache
        .adopt(versionId, parquetPath)
        .catch((error: unknown) => this.logger.warn({ err: error, versionId }, 'not cached'));
      await reportProgress(1, 'done');
    } catch (error) {
      const reason = signal?.aborted
        ? 'processing was cancelled'
        : `processing failed: ${(error as Error).message}`;
      this.logger.warn({ err: error, datasetId, versionId }, 'dataset processing failed');
      if (parquetUpload) {
        // No typed copy of a version that failed: wait for the upload, then remove what it wrote.
        await parquetUpload.catch(() => undefined);
        await Promise.all(
          [keys.parquet, keys.profile, keys.report].map((key) =>
            this.storage.delete(key).catch(() => undefined),
          ),
        );
      }
      await this.versions.markFailed(versionId, reason.slice(0, 2000));
      throw error;
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }
}
