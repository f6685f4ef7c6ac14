import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { JobsService } from 'src/core/jobs';
import { DatasetProcessingService } from '../dataset-processing.service';
import { DatasetVersionsRepository } from '../dataset-versions.repository';
import { PROCESS_DATASET_KIND, processDatasetJobRegistered } from './process-dataset.job';

/**
 * Starts the processing of an uploaded version. With `dataset.process` in the job catalogue it
 * enqueues a job (id `dataset-process-<versionId>`, so a retry of the upload flow cannot start it
 * twice) that the worker runs; until then it processes in this process, one version at a time.
 */
@Injectable()
export class DatasetJobs implements OnModuleDestroy {
  private readonly logger = new Logger(DatasetJobs.name);
  private chain: Promise<void> = Promise.resolve();
  private readonly running = new Set<AbortController>();

  constructor(
    private readonly processing: DatasetProcessingService,
    private readonly versions: DatasetVersionsRepository,
    private readonly jobs: JobsService,
  ) {}

  get usesWorker(): boolean {
    return processDatasetJobRegistered();
  }

  async enqueue(ownerId: string, datasetId: string, versionId: string): Promise<void> {
    if (this.usesWorker) {
      const job = await this.jobs.enqueue(
        PROCESS_DATASET_KIND,
        ownerId,
        { datasetId, versionId } as never,
        {
          jobId: `dataset-process-${versionId}`,
        },
      );
      await this.versions.setJob(versionId, job._id);
      return;
    }
    this.chain = this.chain.then(async () => {
      const controller = new AbortController();
      this.running.add(controller);
      try {
        await this.processing.processDataset(
          datasetId,
          versionId,
          () => undefined,
          controller.signal,
        );
      } catch (error) {
        this.logger.warn(
          { err: error, datasetId, versionId },
          'in-process dataset processing failed',
        );
      } finally {
        this.running.delete(controller);
      }
    });
  }

  /** Stops in-process work before DuckDB closes (onApplicationShutdown runs after this). */
  async onModuleDestroy(): Promise<void> {
    for (const controller of this.running) controller.abort();
    await this.chain.catch(() => undefined);
  }
}
