import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { HandlesJob, type JobContext, type JobHandler, type JobKind } from 'src/core/jobs';
import { AppError } from 'src/core/errors/app-error';
import { DatasetProcessingService } from '../dataset-processing.service';
import { PROCESS_DATASET_KIND, type ProcessDatasetPayload } from './process-dataset.job';

/**
 * Worker side of `dataset.process`: calls the idempotent processing service. A file DuckDB cannot
 * read is bad input (no retry); storage or database hiccups are retried by the queue.
 */
@Injectable()
@HandlesJob(PROCESS_DATASET_KIND)
export class ProcessDatasetHandler implements JobHandler<JobKind> {
  constructor(private readonly processing: DatasetProcessingService) {}

  async handle(context: JobContext<JobKind>): Promise<{ dataset: string }> {
    const { datasetId, versionId } = context.payload as unknown as ProcessDatasetPayload;
    await context.checkpoint();
    try {
      await this.processing.processDataset(
        datasetId,
        versionId,
        (fraction, stage) => context.progress(fraction, stage),
        context.signal,
      );
    } catch (error) {
      if (error instanceof AppError) throw new UnrecoverableError(error.message);
      throw error;
    }
    return { dataset: `/api/v1/datasets/${datasetId}` };
  }
}
