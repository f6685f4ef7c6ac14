import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { type Readable, Transform } from 'node:stream';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfigService } from 'src/core/config';
import { DatasetRecordsService, type VersionColumn } from '../../datasets/dataset-records.service';
import { DuckDbService } from '../../datasets/duckdb.service';
import { withConnection } from '../../datasets/engine/duckdb';
import { renderHtmlReport } from '../../datasets/engine/html-report';
import { profileParquet, type ProgressReporter } from '../../datasets/engine/profiler';
import { DatasetStorage } from '../../datasets/storage/dataset-storage';
import { ParquetCache } from '../../datasets/storage/parquet-cache';
import { isDuplicateKey } from '../mongo-records';
import {
  type RunRecord,
  TransformationRunsRepository,
} from '../runs/transformation-runs.repository';
import { materializePipeline } from './materialize';

const VERSION_NUMBER_ATTEMPTS = 10;

/** A read stream of the file that hashes (sha256) what passes through, for one pass per file. */
function hashingReadStream(path: string): { stream: Readable; sha256: () => string } {
  const hash = createHash('sha256');
  const file = createReadStream(path);
  const stream = file.pipe(
    new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        done(null, chunk);
      },
    }),
  );
  file.once('error', (error) => stream.destroy(error));
  return { stream, sha256: () => hash.digest('hex') };
}

/**
 * Worker side of `transformation.apply`: fits the run's pipeline on the whole parent version,
 * writes the new version's Parquet, hash, profile and report, and only then inserts the version
 * (ready) and points the dataset at it. The new version's id is the run's id, so a retried job
 * overwrites its own objects instead of leaving orphans; on failure every object is removed and
 * the run is marked failed with the reason.
 */
@Injectable()
export class PipelineApplyService {
  private readonly logger = new Logger(PipelineApplyService.name);

  constructor(
    private readonly runs: TransformationRunsRepository,
    private readonly records: DatasetRecordsService,
    private readonly storage: DatasetStorage,
    private readonly parquetCache: ParquetCache,
    private readonly duckdb: DuckDbService,
    private readonly config: AppConfigService,
  ) {}

  async apply(
    runId: string,
    progress: ProgressReporter,
    signal?: AbortSignal,
  ): Promise<{ datasetId: string; versionId: string } | null> {
    const run = await this.runs.find(runId);
    if (!run) return null;
    if (run.state === 'ready' && run.versionId) {
      return { datasetId: run.datasetId, versionId: run.versionId };
    }
    if (run.state === 'failed') return null;
    const versionId = run.id;
    const keys = this.storage.keys(run.datasetId, versionId);
    const workDir = join(this.config.get('datasets').scratchDir, 'work', `apply-${run.id}`);
    let created = false;
    try {
      if (await this.records.findVersion(versionId)) {
        created = true; // a previous attempt got as far as inserting the version
        throw new Error('a previous attempt stopped after creating the version; apply again');
      }
      const parent = await this.records.findVersion(run.parentVersionId);
      if (!parent || parent.status !== 'ready' || !parent.columns) {
        throw new Error(`version ${run.parentVersionNumber} is no longer available`);
      }
      await rm(workDir, { recursive: true, force: true });
      await mkdir(workDir, { recursive: true });
      const started = performance.now();
      await progress(0.02, 'downloading');
      const inputPath = join(workDir, 'input.parquet');
      const outputPath = join(workDir, 'output.parquet');
      // From this worker's disk when it wrote the parent itself (processing or another pipeline).
      await this.parquetCache.linkTo(parent, inputPath);
      signal?.throwIfAborted();
      await progress(0.1, 'transforming');
      const jobStarted = performance.now();
      const result = await withConnection(
        await this.duckdb.get(),
        async (connection) => {
          const made = await materializePipeline(
            connection,
            { path: inputPath, columns: parent.columns! },
            JSON.parse(run.stepsJson),
            outputPath,
            { confirmed: run.confirmed },
          );
          signal?.throwIfAborted();
          await progress(0.5, 'profiling');
          const profileStarted = performance.now();
          const profile = await profileParquet(
            connection,
            outputPath,
            made.fitted.output,
            (fraction, stage) => progress(0.5 + 0.4 * fraction, stage),
          );
          return { ...made, profile, profileMs: performance.now() - profileStarted };
        },
        signal,
      );
      const transformMs = performance.now() - jobStarted - result.profileMs;
      await progress(0.92, 'storing');
      const dataset = await this.records.findDataset(run.datasetId, {});
      if (!dataset || dataset.state !== 'active') throw new Error('the dataset has been deleted');
      const title = `${dataset.name} v${run.parentVersionNumber} → transformed`;
      const parquetBytes = (await stat(outputPath)).size;
      const upload = hashingReadStream(outputPath);
      await this.storage.putFile(keys.parquet, upload.stream, 'application/vnd.apache.parquet');
      await this.storage.put(keys.profile, JSON.stringify(result.profile), 'application/json');
      await this.storage.put(
        keys.report,
        renderHtmlReport(result.profile, title),
        'text/html; charset=utf-8',
      );
      const sha256 = upload.sha256();
      const number = await this.insertVersion(run, versionId, {
        columns: result.fitted.output,
        rowCount: result.report.outputRows,
        contentHash: result.contentHash,
        parquetBytes,
        sha256,
        sourceKey: keys.source,
        fileName: `${parent.source.fileName} (transformed)`,
      });
      created = true;
      await this.records.setCurrentVersion(dataset.id, versionId, number);
      await this.parquetCache
        .adopt(versionId, outputPath)
        .catch((error: unknown) => this.logger.warn({ err: error, versionId }, 'not cached'));
      await this.runs.markReady(run.id, {
        versionId,
        versionNumber: number,
        fittedJson: JSON.stringify(result.fitted),
        reportJson: JSON.stringify({
          inputRows: result.report.inputRows,
          outputRows: result.report.outputRows,
          steps: result.report.steps,
          warnings: result.report.warnings,
        }),
        timings: {
          fitMs: Math.round(result.fitMs),
          writeMs: Math.round(result.writeMs),
          hashMs: Math.round(result.hashMs),
          profileMs: Math.round(result.profileMs),
          totalMs: Math.round(performance.now() - started),
        },
      });
      this.logger.log(
        { runId: run.id, versionId, transformMs: Math.round(transformMs) },
        'pipeline applied',
      );
      await progress(1, 'done');
      return { datasetId: run.datasetId, versionId };
    } catch (error) {
      const reason = signal?.aborted ? 'the job was cancelled' : (error as Error).message;
      this.logger.warn({ err: error, runId: run.id }, 'pipeline apply failed');
      await this.storage.deletePrefix(keys.prefix).catch(() => undefined);
      if (created) await this.records.deleteVersion(versionId).catch(() => undefined);
      await this.runs.markFailed(run.id, reason.slice(0, 2000));
      throw error;
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }

  /** Inserts the ready version under the next free number (unique per dataset). */
  private async insertVersion(
    run: RunRecord,
    versionId: string,
    made: {
      columns: VersionColumn[];
      rowCount: number;
      contentHash: string;
      parquetBytes: number;
      sha256: string;
      sourceKey: string;
      fileName: string;
    },
  ): Promise<number> {
    for (let attempt = 0; attempt < VERSION_NUMBER_ATTEMPTS; attempt++) {
      const dataset = await this.records.findDataset(run.datasetId, {});
      if (!dataset) throw new Error('the dataset has been deleted');
      const number = dataset.versionCount + 1 + attempt;
      try {
        await this.records.createVersion(versionId, {
          datasetId: run.datasetId,
          ownerId: run.ownerId,
          number,
          parentVersionId: run.parentVersionId,
          createdBy: run.createdBy,
          createdAt: new Date(),
          origin: { kind: 'transformation', jobId: run.jobId, runId: run.id },
          // A derived version has no uploaded file: its source is the Parquet it was written as.
          source: {
            fileName: made.fileName,
            format: 'parquet',
            header: made.columns.map((column) => column.name),
            bytes: made.parquetBytes,
            sha256: made.sha256,
            key: made.sourceKey,
          },
          status: 'ready',
          progress: 1,
          columns: made.columns,
          rowCount: made.rowCount,
          columnCount: made.columns.length,
          contentHash: made.contentHash,
          parquetBytes: made.parquetBytes,
          processedAt: new Date(),
        });
        return number;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
    throw new Error('could not allocate a version number (too many concurrent versions)');
  }
}
