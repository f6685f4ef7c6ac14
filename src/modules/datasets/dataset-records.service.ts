import { Injectable } from '@nestjs/common';
import { type AuthenticatedUser, ownerScope } from 'src/core/auth';
import { NotFoundError } from 'src/core/errors/app-error';
import { DatasetVersionsRepository, type VersionRecord } from './dataset-versions.repository';
import { type DatasetRecord, DatasetsRepository } from './datasets.repository';
import type { DatasetVersion } from './schemas/dataset-version.schema';

export type { DatasetRecord } from './datasets.repository';
export type { VersionRecord } from './dataset-versions.repository';
export type { DatasetVersion, VersionColumn } from './schemas/dataset-version.schema';

/**
 * Datasets and their versions as other domains see them: read by id, number or page, and the
 * writes a derived version needs (a transformation's output, inserted ready and made current).
 * Other modules come through here, never through the repositories, so the datasets domain
 * keeps one place that says what the rest of the platform may do with its records.
 */
@Injectable()
export class DatasetRecordsService {
  constructor(
    private readonly datasets: DatasetsRepository,
    private readonly versions: DatasetVersionsRepository,
  ) {}

  /** The dataset if `scope` may see it (`{}` for admins and jobs), whatever its state. */
  findDataset(id: string, scope: { ownerId?: string }): Promise<DatasetRecord | null> {
    return this.datasets.findScoped(id, scope);
  }

  /** The active dataset `user` may read (owner or admin); 404 for anything else. */
  async readableDataset(user: AuthenticatedUser, id: string): Promise<DatasetRecord> {
    const dataset = await this.datasets.findScoped(id, ownerScope(user));
    if (!dataset || dataset.state !== 'active') throw new NotFoundError('Dataset', id);
    return dataset;
  }

  /**
   * That dataset with its version numbered `number`, or its current one when `number` is
   * omitted, whatever the version's status (each caller says in its own terms what not ready
   * means); 404 when there is no such version.
   */
  async readableVersion(
    user: AuthenticatedUser,
    id: string,
    number?: number,
  ): Promise<{ dataset: DatasetRecord; version: VersionRecord }> {
    const dataset = await this.readableDataset(user, id);
    const version =
      number === undefined
        ? await this.versions.findById(dataset.currentVersionId)
        : await this.versions.findByNumber(dataset.id, number);
    if (!version) {
      throw number === undefined
        ? new NotFoundError('Dataset', id)
        : new NotFoundError('Dataset version', `${id} v${number}`);
    }
    return { dataset, version };
  }

  findVersion(id: string): Promise<VersionRecord | null> {
    return this.versions.findById(id);
  }

  findVersionByNumber(datasetId: string, number: number): Promise<VersionRecord | null> {
    return this.versions.findByNumber(datasetId, number);
  }

  /** A page of a dataset's versions, newest first. */
  listVersions(
    datasetId: string,
    offset: number,
    limit: number,
  ): Promise<{ items: VersionRecord[]; total: number }> {
    return this.versions.listForDataset(datasetId, offset, limit);
  }

  /** Inserts a version under the id given; fails on a duplicate (dataset, number). */
  createVersion(id: string, input: DatasetVersion): Promise<VersionRecord> {
    return this.versions.create(id, input);
  }

  deleteVersion(id: string): Promise<void> {
    return this.versions.delete(id);
  }

  /** Makes `versionId` the dataset's current version, `versionCount` its highest number. */
  setCurrentVersion(datasetId: string, versionId: string, versionCount: number): Promise<void> {
    return this.datasets.setCurrentVersion(datasetId, versionId, versionCount);
  }
}
