import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfigService } from 'src/core/config';
import { DatasetRecordsService, type VersionRecord } from '../../datasets/dataset-records.service';
import { DuckDbService } from '../../datasets/duckdb.service';
import { withConnection } from '../../datasets/engine/duckdb';
import { contentHash } from '../../datasets/engine/content-hash';
import { createTypedCopy } from '../../datasets/engine/typed-copy';
import { DatasetStorage } from '../../datasets/storage/dataset-storage';
import { structureOfSource } from '../../datasets/version-source';
import type { ColumnSchema } from '../engine';
import { ReproductionsRepository } from '../lineage/reproductions.repository';
import { TransformationRunsRepository } from '../runs/transformation-runs.repository';
import type { ReproducedStep } from '../schemas/reproduction.schema';
import { materializePipeline } from './materialize';

const MAX_CHAIN = 1_000;

/**
 * Worker side of `lineage.reproduce`: rebuilds the typed copy of the root upload from its
 * original file, then re-fits and re-runs every recorded pipeline down to the version, comparing
 * each content hash with the stored one.
 */
@Injectable()
export class ReproduceService {
  private readonly logger = new Logger(ReproduceService.name);

  constructor(
    private readonly reproductions: ReproductionsRepository,
    private readonly records: DatasetRecordsService,
    private readonly runs: TransformationRunsRepository,
    private readonly storage: DatasetStorage,
    private readonly duckdb: DuckDbService,
    private readonly config: AppConfigService,
  ) {}

  async reproduce(
    reproductionId: string,
    progress: (fraction: number, stage: string) => Promise<void>,
    signal?: AbortSignal,
  ): Promise<{ datasetId: string } | null> {
    const reproduction = await this.reproductions.find(reproductionId);
    if (!reproduction || reproduction.state !== 'running') return null;
    const workDir = join(
      this.config.get('datasets').scratchDir,
      'work',
      `reproduce-${reproduction.id}`,
    );
    try {
      const chain = await this.chainTo(reproduction.versionId);
      await rm(workDir, { recursive: true, force: true });
      await mkdir(workDir, { recursive: true });
      const steps: ReproducedStep[] = [];
      await withConnection(
        await this.duckdb.get(),
        async (connection) => {
          const root = chain[0];
          const sourcePath = join(workDir, 'source');
          let current = join(workDir, 'v0.parquet');
          await progress(0.05, `rebuilding version ${root.number} from its file`);
          await this.storage.downloadSource(root.source, sourcePath);
          const copy = await createTypedCopy(
            connection,
            sourcePath,
            structureOfSource(root.source),
            current,
          );
          let columns: ColumnSchema[] = copy.columns;
          steps.push(step(root, 'upload', await contentHash(connection, current, copy.columns)));
          for (const [i, version] of chain.slice(1).entries()) {
            signal?.throwIfAborted();
            await progress(
              0.1 + (0.85 * i) / chain.length,
              `re-running the pipeline of version ${version.number}`,
            );
            const run = await this.runs.find(version.origin.runId ?? '');
            if (!run)
              throw new Error(`the pipeline that made version ${version.number} is not recorded`);
            const next = join(workDir, `v${i + 1}.parquet`);
            const made = await materializePipeline(
              connection,
              { path: current, columns },
              JSON.parse(run.stepsJson),
              next,
              { confirmed: true },
            );
            steps.push(step(version, 'transformation', made.contentHash));
            current = next;
            columns = made.fitted.output;
          }
        },
        signal,
      );
      const last = steps[steps.length - 1];
      await this.reproductions.complete(reproduction.id, {
        matches: steps.every((s) => s.matches),
        expectedHash: last.expectedHash,
        actualHash: last.actualHash,
        chain: steps,
      });
      await progress(1, 'done');
      return { datasetId: reproduction.datasetId };
    } catch (error) {
      const reason = signal?.aborted ? 'the job was cancelled' : (error as Error).message;
      this.logger.warn({ err: error, reproductionId }, 'reproduction failed');
      await this.reproductions.fail(reproduction.id, reason.slice(0, 2000));
      throw error;
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }

  /** The versions from the nearest uploaded ancestor down to `versionId`, root first. */
  private async chainTo(versionId: string): Promise<VersionRecord[]> {
    const chain: VersionRecord[] = [];
    let id: string | undefined = versionId;
    while (id && chain.length < MAX_CHAIN) {
      const version = await this.records.findVersion(id);
      if (!version) throw new Error(`version ${id} of the chain no longer exists`);
      chain.unshift(version);
      if (version.origin.kind === 'upload') return chain;
      id = version.parentVersionId;
    }
    throw new Error('the version has no uploaded root');
  }
}

function step(
  version: VersionRecord,
  kind: ReproducedStep['kind'],
  actualHash: string,
): ReproducedStep {
  const expectedHash = version.contentHash ?? '';
  return {
    versionId: version.id,
    versionNumber: version.number,
    kind,
    expectedHash,
    actualHash,
    matches: expectedHash === actualHash,
  };
}
