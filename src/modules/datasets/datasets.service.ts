import type { IncomingMessage } from 'node:http';
import { Injectable } from '@nestjs/common';
import { AuditService } from 'src/core/audit/audit.service';
import { type AuthenticatedUser, isAdmin, ownerScope } from 'src/core/auth';
import { NotFoundError } from 'src/core/errors/app-error';
import { DatasetDependents, type DatasetDependent } from './dataset-dependents';
import { DatasetRecordsService } from './dataset-records.service';
import { DatasetVersionsRepository, type VersionRecord } from './dataset-versions.repository';
import { DatasetError, DatasetErrorCode } from './datasets.errors';
import { type DatasetRecord, DatasetsRepository } from './datasets.repository';
import type {
  DatasetDto,
  DatasetRowsDto,
  DatasetSchemaDto,
  DatasetVersionDto,
  SameContentDto,
} from './dto/dataset-responses.dto';
import type { ListDatasetsDto } from './dto/list-datasets.dto';
import type { RowsQueryDto } from './dto/rows-query.dto';
import type { UpdateDatasetDto } from './dto/update-dataset.dto';
import type { DatasetProfile } from './engine/profiler';
import { profileStory } from './engine/profile-story';
import { DatasetJobs } from './jobs/dataset-jobs';
import { DatasetStorage, keysBesideSource } from './storage/dataset-storage';
import { ParquetCache } from './storage/parquet-cache';
import { RowPageReader } from './storage/row-pages';
import { ReadyVersionCache } from './ready-version-cache';
import { DatasetUploadService, type ReceivedUpload } from './upload/dataset-upload.service';

function isDuplicateKey(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 11000 || code === 1;
}

export function toVersionDto(v: VersionRecord): DatasetVersionDto {
  return {
    id: v.id,
    datasetId: v.datasetId,
    number: v.number,
    parentVersionId: v.parentVersionId,
    createdBy: v.createdBy,
    createdAt: v.createdAt,
    producedBy: v.origin.kind,
    jobId: v.origin.jobId,
    status: v.status,
    failureReason: v.failureReason,
    progress: v.progress,
    sourceFileName: v.source.fileName,
    format: v.source.format,
    encoding: v.source.encoding,
    delimiter: v.source.delimiter,
    sourceBytes: v.source.bytes,
    sourceSha256: v.source.sha256,
    compression: v.source.compression,
    uncompressedBytes: v.source.uncompressedBytes,
    contentHash: v.contentHash,
    parquetBytes: v.parquetBytes,
    rowCount: v.rowCount,
    columnCount: v.columnCount,
    columns: v.columns,
  };
}

/** Datasets: upload, metadata, versions, typed rows, schema, profile, deletion. */
@Injectable()
export class DatasetsService {
  constructor(
    private readonly datasets: DatasetsRepository,
    private readonly versions: DatasetVersionsRepository,
    private readonly uploads: DatasetUploadService,
    private readonly storage: DatasetStorage,
    private readonly cache: ParquetCache,
    private readonly jobs: DatasetJobs,
    private readonly dependents: DatasetDependents,
    private readonly audit: AuditService,
    private readonly rowPages: RowPageReader,
    private readonly records: DatasetRecordsService,
  ) {}

  /** Ready versions recently read, so that paging through rows skips two database reads. */
  private readonly readyVersions = new ReadyVersionCache();

  /** Stores an uploaded file as a new dataset (version 1) and schedules its processing. */
  async create(user: AuthenticatedUser, req: IncomingMessage): Promise<DatasetDto> {
    const received = await this.uploads.receive(req);
    const now = new Date();
    let version: VersionRecord | undefined;
    let dataset: DatasetRecord | undefined;
    try {
      version = await this.versions.create(
        received.versionId,
        this.newVersion(user, received, 1, undefined, now),
      );
      dataset = await this.datasets.create(received.datasetId, {
        ownerId: user.id,
        name: received.fields.name ?? defaultName(received.fileName),
        description: received.fields.description,
        currentVersionId: received.versionId,
        versionCount: 1,
        state: 'active',
        createdAt: now,
        updatedAt: now,
      });
      await this.jobs.enqueue(user.id, dataset.id, version.id);
      return this.view(dataset, version);
    } catch (error) {
      if (dataset) await this.datasets.delete(dataset.id);
      if (version) await this.versions.delete(version.id);
      await received.discard();
      throw error;
    }
  }

  /** Uploads a new version of a dataset; its parent is the current version. */
  async createVersion(
    user: AuthenticatedUser,
    id: string,
    req: IncomingMessage,
  ): Promise<DatasetDto> {
    const dataset = await this.findActive(user, id);
    const received = await this.uploads.receive(req, dataset.id);
    const number = dataset.versionCount + 1;
    let version: VersionRecord | undefined;
    try {
      version = await this.versions.create(
        received.versionId,
        this.newVersion(user, received, number, dataset.currentVersionId, new Date()),
      );
    } catch (error) {
      await received.discard();
      if (isDuplicateKey(error)) {
        throw new DatasetError(
          DatasetErrorCode.HasDependents,
          'Another version was added at the same time; retry.',
        );
      }
      throw error;
    }
    await this.datasets.setCurrentVersion(dataset.id, version.id, number);
    this.readyVersions.forget(dataset.id);
    await this.jobs.enqueue(user.id, dataset.id, version.id);
    return this.view({ ...dataset, currentVersionId: version.id, versionCount: number }, version);
  }

  async list(
    user: AuthenticatedUser,
    query: ListDatasetsDto,
  ): Promise<{ items: DatasetDto[]; total: number }> {
    const sortKey = query.sort.replace(/^-/, '');
    const { items, total } = await this.datasets.list({
      scope: ownerScope(user),
      name: query.name,
      sort: { [sortKey]: query.sort.startsWith('-') ? -1 : 1 },
      offset: query.offset,
      limit: query.limit,
    });
    const versions = new Map(
      (await this.versions.findByIds(items.map((d) => d.currentVersionId))).map((v) => [v.id, v]),
    );
    return {
      items: items.flatMap((dataset) => {
        const version = versions.get(dataset.currentVersionId);
        return version ? [this.summary(dataset, version, [])] : [];
      }),
      total,
    };
  }

  async get(user: AuthenticatedUser, id: string): Promise<DatasetDto> {
    const dataset = await this.find(user, id);
    return this.view(dataset, await this.currentVersion(dataset));
  }

  async update(user: AuthenticatedUser, id: string, dto: UpdateDatasetDto): Promise<DatasetDto> {
    const set: { name?: string; description?: string } = {};
    const unset: string[] = [];
    if (dto.name !== undefined) set.name = dto.name.trim();
    if (dto.description === null) unset.push('description');
    else if (dto.description !== undefined) set.description = dto.description;
    const dataset = await this.datasets.update(id, ownerScope(user), set, unset);
    if (!dataset) throw new NotFoundError('Dataset', id);
    this.readyVersions.forget(dataset.id);
    return this.view(dataset, await this.currentVersion(dataset));
  }

  /**
   * Deletes a dataset with all its versions and objects. Marked `deleting` first, then objects,
   * then metadata: when storage fails midway the answer is 503 and repeating DELETE finishes.
   */
  async remove(user: AuthenticatedUser, id: string): Promise<void> {
    const dataset = await this.find(user, id);
    const dependents = await this.dependents.find(dataset.id);
    if (dependents.length > 0) throw this.hasDependents(`Dataset ${id}`, dependents);
    await this.datasets.markDeleting(dataset.id);
    this.readyVersions.forget(dataset.id);
    const { items } = await this.versions.listForDataset(dataset.id, 0, 10_000);
    try {
      await this.storage.deletePrefix(this.storage.datasetPrefix(dataset.id));
    } catch (error) {
      throw new DatasetError(
        DatasetErrorCode.StorageUnavailable,
        'Could not delete the stored files; repeat the DELETE to finish.',
        {
          cause: error,
          headers: { 'Retry-After': '5' },
        },
      );
    }
    for (const version of items) await this.cache.evict(version.id);
    await this.versions.deleteForDataset(dataset.id);
    await this.datasets.delete(dataset.id);
    await this.dependents.deleted(
      dataset.id,
      items.map((version) => version.id),
    );
    await this.audit.record({
      action: 'dataset.delete',
      userId: user.id,
      actorEmail: user.email,
      target: dataset.id,
      details: { name: dataset.name, ownerId: dataset.ownerId, versions: items.length },
    });
  }

  /** Deletes one version; 409 when a newer version derives from it or it is the only one. */
  async removeVersion(user: AuthenticatedUser, id: string, versionId: string): Promise<void> {
    const dataset = await this.findActive(user, id);
    const version = await this.versions.findById(versionId);
    if (!version || version.datasetId !== dataset.id)
      throw new NotFoundError('Dataset version', versionId);
    const children = await this.versions.children(version.id);
    const dependents: DatasetDependent[] = [
      ...children.map((child) => ({
        kind: 'dataset-version',
        id: child.id,
        name: `version ${child.number}`,
      })),
      ...(await this.dependents.find(dataset.id, version.id)),
    ];
    if (dependents.length > 0) throw this.hasDependents(`Version ${version.number}`, dependents);
    if (dataset.versionCount <= 1 || dataset.currentVersionId === version.id) {
      throw new DatasetError(
        DatasetErrorCode.HasDependents,
        'This is the current version; delete the dataset instead.',
        {
          extensions: { dependents: [{ kind: 'dataset', id: dataset.id, name: dataset.name }] },
        },
      );
    }
    await this.storage.deletePrefix(keysBesideSource(version.source.key).prefix);
    this.readyVersions.forget(dataset.id);
    await this.cache.evict(version.id);
    await this.versions.delete(version.id);
    await this.dependents.deleted(dataset.id, [version.id]);
    await this.audit.record({
      action: 'dataset.version.delete',
      userId: user.id,
      actorEmail: user.email,
      target: version.id,
      details: { datasetId: dataset.id },
    });
  }

  async listVersions(
    user: AuthenticatedUser,
    id: string,
    offset: number,
    limit: number,
  ): Promise<{ items: DatasetVersionDto[]; total: number }> {
    const dataset = await this.find(user, id);
    const { items, total } = await this.versions.listForDataset(dataset.id, offset, limit);
    return { items: items.map(toVersionDto), total };
  }

  async schema(user: AuthenticatedUser, id: string, number?: number): Promise<DatasetSchemaDto> {
    const { dataset, version } = await this.readyVersion(user, id, number);
    return {
      datasetId: dataset.id,
      versionId: version.id,
      rowCount: version.rowCount ?? 0,
      columns: version.columns ?? [],
    };
  }

  async profile(user: AuthenticatedUser, id: string, number?: number): Promise<DatasetProfile> {
    const { version } = await this.readyVersion(user, id, number);
    const profile = JSON.parse(
      await this.storage.getText(keysBesideSource(version.source.key).profile),
    ) as Partial<DatasetProfile> & Omit<DatasetProfile, 'story'>;
    // Profiles stored before the story existed get it told on the way out.
    return { ...profile, story: profile.story ?? profileStory(profile as DatasetProfile) };
  }

  async profileHtml(user: AuthenticatedUser, id: string, number?: number): Promise<string> {
    const { version } = await this.readyVersion(user, id, number);
    return this.storage.getText(keysBesideSource(version.source.key).report);
  }

  /** A page of typed rows from the Parquet copy, read through the local LRU cache. */
  async rows(
    user: AuthenticatedUser,
    id: string,
    query: RowsQueryDto,
  ): Promise<Omit<DatasetRowsDto, 'page'> & { total: number }> {
    const { version } = await this.readyCached(user, id, query.version);
    const all = version.columns ?? [];
    let columns = all;
    if (query.columns !== undefined) {
      const wanted = query.columns
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== '');
      const unknown = wanted.filter((name) => !all.some((c) => c.name === name));
      if (unknown.length > 0) {
        throw new DatasetError(
          DatasetErrorCode.UnknownColumn,
          `Unknown column(s): ${unknown.join(', ')}.`,
          {
            errors: unknown.map((name) => ({
              field: 'columns',
              message: `unknown column ${name}`,
            })),
          },
        );
      }
      columns = wanted.map((name) => all.find((c) => c.name === name)!);
    }
    const path = await this.cache.path(version);
    const rows = await this.rowPages.read(path, columns, query.offset, query.limit);
    return { columns, rows, total: version.rowCount ?? 0 };
  }

  private newVersion(
    user: AuthenticatedUser,
    received: ReceivedUpload,
    number: number,
    parentVersionId: string | undefined,
    now: Date,
  ) {
    return {
      datasetId: received.datasetId,
      ownerId: user.id,
      number,
      parentVersionId,
      createdBy: user.id,
      createdAt: now,
      origin: { kind: 'upload' as const },
      source: {
        fileName: received.fileName,
        format: received.structure.format,
        encoding: received.structure.encoding,
        delimiter: received.structure.delimiter,
        header: received.structure.columns,
        lexicalTypes: received.structure.lexicalTypes,
        missingMarkers: received.structure.missingMarkers,
        utcOffsets: received.structure.utcOffsets,
        bareBooleans: received.structure.bareBooleans,
        dateOrders: received.structure.dateOrders,
        decimalCommas: received.structure.decimalCommas,
        longestRecordBytes: received.structure.longestRecordBytes,
        bytes: received.structure.byteCount,
        sha256: received.structure.sha256,
        compression: received.structure.compression,
        uncompressedBytes: received.structure.uncompressedBytes,
        key: received.key,
      },
      status: 'processing' as const,
      progress: 0,
      stage: 'queued',
    };
  }

  private hasDependents(what: string, dependents: DatasetDependent[]): DatasetError {
    const list = dependents.map((d) => `${d.kind} ${d.name ?? d.id}`).join(', ');
    return new DatasetError(
      DatasetErrorCode.HasDependents,
      `${what} cannot be deleted: ${list} depend(s) on it.`,
      {
        extensions: { dependents },
      },
    );
  }

  private async find(user: AuthenticatedUser, id: string): Promise<DatasetRecord> {
    const dataset = await this.datasets.findScoped(id, ownerScope(user));
    if (!dataset) throw new NotFoundError('Dataset', id);
    return dataset;
  }

  private findActive(user: AuthenticatedUser, id: string): Promise<DatasetRecord> {
    return this.records.readableDataset(user, id);
  }

  private async currentVersion(dataset: DatasetRecord): Promise<VersionRecord> {
    const version = await this.versions.findById(dataset.currentVersionId);
    if (!version) throw new NotFoundError('Dataset', dataset.id);
    return version;
  }

  /**
   * `readyVersion` with the current version's record remembered for a few seconds (a ready
   * version's content never changes). The dataset itself is always read: the worker moves a
   * dataset to a new version (a transformation) without this process knowing, and a read right
   * after that job must see it. A numbered version is looked up each time.
   */
  private async readyCached(
    user: AuthenticatedUser,
    id: string,
    number?: number,
  ): Promise<{ dataset: DatasetRecord; version: VersionRecord }> {
    if (number !== undefined) return this.readyVersion(user, id, number);
    const scope = isAdmin(user) ? '*' : user.id;
    const hit = this.readyVersions.get(scope, id);
    if (hit) {
      const dataset = await this.findActive(user, id);
      if (dataset.currentVersionId === hit.version.id) return { dataset, version: hit.version };
    }
    const found = await this.readyVersion(user, id);
    this.readyVersions.set(scope, found.dataset, found.version);
    return found;
  }

  /** The current version, or the one numbered `number`, once it is ready to be read. */
  async readyVersion(
    user: AuthenticatedUser,
    id: string,
    number?: number,
  ): Promise<{ dataset: DatasetRecord; version: VersionRecord }> {
    const { dataset, version } = await this.records.readableVersion(user, id, number);
    if (version.status !== 'ready') {
      const which = `Version ${version.number} of dataset ${id}`;
      const detail =
        version.status === 'failed'
          ? `${which} failed processing: ${version.failureReason ?? 'unknown reason'}.`
          : `${which} is still being processed (${Math.round(100 * (version.progress ?? 0))} %); try again shortly.`;
      throw new DatasetError(DatasetErrorCode.NotReady, detail, {
        extensions: { status: version.status },
        headers: version.status === 'processing' ? { 'Retry-After': '2' } : {},
      });
    }
    return { dataset, version };
  }

  private async view(dataset: DatasetRecord, version: VersionRecord): Promise<DatasetDto> {
    const same = await this.versions.findSameContent(
      dataset.ownerId,
      { sha256: version.source.sha256, contentHash: version.contentHash },
      dataset.id,
    );
    const names = new Map(
      (await this.datasets.findByIds([...new Set(same.map((v) => v.datasetId))])).map((d) => [
        d.id,
        d.name,
      ]),
    );
    const duplicates: SameContentDto[] = same.flatMap((v) => {
      const name = names.get(v.datasetId);
      if (name === undefined) return [];
      const match =
        v.source.sha256 === version.source.sha256 ? ('bytes' as const) : ('content' as const);
      return [{ datasetId: v.datasetId, name, versionId: v.id, match }];
    });
    return this.summary(dataset, version, duplicates);
  }

  private summary(
    dataset: DatasetRecord,
    version: VersionRecord,
    duplicates: SameContentDto[],
  ): DatasetDto {
    return {
      id: dataset.id,
      name: dataset.name,
      description: dataset.description,
      ownerId: dataset.ownerId,
      status: dataset.state === 'deleting' ? 'deleting' : version.status,
      failureReason: version.failureReason,
      versionCount: dataset.versionCount,
      currentVersion: toVersionDto(version),
      duplicates,
      createdAt: dataset.createdAt,
      updatedAt: dataset.updatedAt,
    };
  }
}

function defaultName(fileName: string): string {
  const base = fileName.replace(/\.[A-Za-z0-9]+$/, '').trim();
  return (base || 'dataset').slice(0, 200);
}
