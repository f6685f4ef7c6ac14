import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from 'src/core/auth';
import {
  type DatasetRecord,
  DatasetRecordsService,
  type VersionRecord,
} from '../datasets/dataset-records.service';
import { TransformationError, TransformationErrorCode } from './transformations.errors';

export interface ReadyVersion {
  dataset: DatasetRecord;
  version: VersionRecord & { columns: NonNullable<VersionRecord['columns']> };
}

/** Finds a dataset version the user may read (owner or admin) and that is ready to be read. */
@Injectable()
export class VersionLookupService {
  constructor(private readonly records: DatasetRecordsService) {}

  dataset(user: AuthenticatedUser, datasetId: string): Promise<DatasetRecord> {
    return this.records.readableDataset(user, datasetId);
  }

  /** The numbered version, or the current one when `number` is omitted, once it is ready. */
  async ready(user: AuthenticatedUser, datasetId: string, number?: number): Promise<ReadyVersion> {
    const { dataset, version } = await this.records.readableVersion(user, datasetId, number);
    if (version.status !== 'ready' || !version.columns) {
      throw new TransformationError(
        TransformationErrorCode.VersionNotReady,
        version.status === 'failed'
          ? `Version ${version.number} of dataset ${dataset.id} failed processing: ${version.failureReason ?? 'unknown reason'}.`
          : `Version ${version.number} of dataset ${dataset.id} is still being processed; try again shortly.`,
        { extensions: { status: version.status } },
      );
    }
    return { dataset, version: { ...version, columns: version.columns } };
  }
}
