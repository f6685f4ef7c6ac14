import { Injectable } from '@nestjs/common';
import { type AuthenticatedUser, ownerScope } from 'src/core/auth';
import { NotFoundError } from 'src/core/errors/app-error';
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

  async dataset(user: AuthenticatedUser, datasetId: string): Promise<DatasetRecord> {
    const dataset = await this.records.findDataset(datasetId, ownerScope(user));
    if (!dataset || dataset.state !== 'active') throw new NotFoundError('Dataset', datasetId);
    return dataset;
  }

  /** The numbered version, or the current one when `number` is omitted. */
  async version(
    user: AuthenticatedUser,
    datasetId: string,
    number?: number,
  ): Promise<{ dataset: DatasetRecord; version: VersionRecord }> {
    const dataset = await this.dataset(user, datasetId);
    const version =
      number === undefined
        ? await this.records.findVersion(dataset.currentVersionId)
        : await this.records.findVersionByNumber(dataset.id, number);
    if (!version) throw new NotFoundError('Dataset version', `${datasetId} v${number ?? '?'}`);
    return { dataset, version };
  }

  async ready(user: AuthenticatedUser, datasetId: string, number?: number): Promise<ReadyVersion> {
    const { dataset, version } = await this.version(user, datasetId, number);
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
