import { Injectable } from '@nestjs/common';
import { JobsService } from 'src/core/jobs';
import { DatasetVersionsRepository } from '../dataset-versions.repository';

/**
 * Starts the processing of an uploaded version as a `dataset.process` job that the worker runs.
 * The job id is derived from the version, so a retried upload flow cannot start it twice.
 */
@Injectable()
export class DatasetJobs {
  constructor(
    private readonly versions: DatasetVersionsRepository,
    private readonly jobs: JobsService,
  ) {}

  async enqueue(ownerId: string, datasetId: string, versionId: string): Promise<void> {
    const job = await this.jobs.enqueue(
      'dataset.process',
      ownerId,
      { datasetId, versionId },
      { jobId: `dataset-process-${versionId}` },
    );
    await this.versions.setJob(versionId, job._id);
  }
}
