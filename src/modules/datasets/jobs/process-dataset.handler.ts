import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { HandlesJob, type JobContext, type JobHandler } from 'src/core/jobs';
import { AppError } from 'src/core/errors/app-error';
import { DatasetProcessingService } from '../dataset-processing.service';

/**
 * Worker side of `dataset.process`: calls the idempotent processing service. A file DuckDB cannot
 * read is bad input (no retry); storage or database hiccups are retried by the queue.
 */
@Injectable()
@HandlesJob('dataset.process')
export class ProcessDatasetHandler implements JobHandler<'dataset.process'> {
  constructor(private readonly processing: DatasetProcessingService) {}

  async handle(context: JobContext<'dataset.process'>): Promise<{ dataset: string }> {
    const { datasetId, versionId } = context.payload;
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
