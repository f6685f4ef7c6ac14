import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { DatasetProcessingService } from '../dataset-processing.service';

/**
 * Runs dataset processing in this process, one version at a time, until the job system
 * (src/core/jobs) takes over: then `enqueue` becomes a typed job and the worker calls
 * `DatasetProcessingService.processDataset` from a processor.
 */
@Injectable()
export class DatasetJobs implements OnApplicationShutdown {
  private readonly logger = new Logger(DatasetJobs.name);
  private chain: Promise<void> = Promise.resolve();
  private readonly running = new Set<AbortController>();
  private readonly idle = new Set<() => void>();
  private queued = 0;

  constructor(private readonly processing: DatasetProcessingService) {}

  /** Schedules processing; never throws (failures are recorded on the version). */
  enqueue(datasetId: string, versionId: string): void {
    this.queued += 1;
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
        this.logger.warn({ err: error, datasetId, versionId }, 'dataset job failed');
      } finally {
        this.running.delete(controller);
        this.queued -= 1;
        if (this.queued === 0) for (const resolve of this.idle) resolve();
      }
    });
  }

  /** Resolves when nothing is queued (tests and shutdown). */
  whenIdle(): Promise<void> {
    if (this.queued === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.add(resolve));
  }

  async onApplicationShutdown(): Promise<void> {
    for (const controller of this.running) controller.abort();
    await this.chain.catch(() => undefined);
  }
}
