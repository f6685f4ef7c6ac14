import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, Types } from 'mongoose';
import { DatasetVersion, type VersionColumn } from './schemas/dataset-version.schema';

export interface VersionRecord extends DatasetVersion {
  id: string;
}

type VersionLean = DatasetVersion & { _id: Types.ObjectId };

function toRecord({ _id, ...rest }: VersionLean): VersionRecord {
  return { id: _id.toHexString(), ...rest };
}

export interface ProcessedResult {
  columns: VersionColumn[];
  rowCount: number;
  columnCount: number;
  contentHash: string;
  parquetBytes: number;
}

@Injectable()
export class DatasetVersionsRepository {
  constructor(@InjectModel(DatasetVersion.name) private readonly versions: Model<DatasetVersion>) {}

  async create(id: string, input: DatasetVersion): Promise<VersionRecord> {
    const doc = await this.versions.create({ _id: new Types.ObjectId(id), ...input });
    return toRecord(doc.toObject<VersionLean>());
  }

  /** Whether the owner has any version matching the filter (onboarding milestones). */
  async existsForOwner(
    ownerId: string,
    filter: Partial<Pick<DatasetVersion, 'status'>>,
  ): Promise<boolean> {
    return (await this.versions.exists({ ownerId, ...filter }).exec()) !== null;
  }

  async findById(id: string): Promise<VersionRecord | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const doc = await this.versions.findById(id).lean<VersionLean>().exec();
    return doc ? toRecord(doc) : null;
  }

  async findByNumber(datasetId: string, number: number): Promise<VersionRecord | null> {
    const doc = await this.versions.findOne({ datasetId, number }).lean<VersionLean>().exec();
    return doc ? toRecord(doc) : null;
  }

  async findByIds(ids: string[]): Promise<VersionRecord[]> {
    const docs = await this.versions
      .find({ _id: { $in: ids.filter((id) => Types.ObjectId.isValid(id)) } })
      .lean<VersionLean[]>()
      .exec();
    return docs.map(toRecord);
  }

  async listForDataset(
    datasetId: string,
    offset: number,
    limit: number,
  ): Promise<{ items: VersionRecord[]; total: number }> {
    const [docs, total] = await Promise.all([
      this.versions
        .find({ datasetId })
        .sort({ number: -1 })
        .skip(offset)
        .limit(limit)
        .lean<VersionLean[]>()
        .exec(),
      this.versions.countDocuments({ datasetId }).exec(),
    ]);
    return { items: docs.map(toRecord), total };
  }

  async children(versionId: string): Promise<VersionRecord[]> {
    const docs = await this.versions
      .find({ parentVersionId: versionId })
      .lean<VersionLean[]>()
      .exec();
    return docs.map(toRecord);
  }

  /** Other versions the owner holds with the same raw bytes or the same canonical content. */
  async findSameContent(
    ownerId: string,
    match: { sha256?: string; contentHash?: string },
    excludeDatasetId: string,
  ): Promise<VersionRecord[]> {
    const or: Record<string, string>[] = [];
    if (match.sha256) or.push({ 'source.sha256': match.sha256 });
    if (match.contentHash) or.push({ contentHash: match.contentHash });
    if (or.length === 0) return [];
    const docs = await this.versions
      .find({ ownerId, datasetId: { $ne: excludeDatasetId }, $or: or })
      .limit(20)
      .lean<VersionLean[]>()
      .exec();
    return docs.map(toRecord);
  }

  async setProgress(id: string, progress: number, stage: string): Promise<void> {
    await this.versions
      .updateOne({ _id: id, status: 'processing' }, { $set: { progress, stage } })
      .exec();
  }

  async markReady(id: string, result: ProcessedResult): Promise<void> {
    await this.versions
      .updateOne(
        { _id: id },
        {
          $set: { ...result, status: 'ready', progress: 1, stage: 'done', processedAt: new Date() },
          $unset: { failureReason: '' },
        },
      )
      .exec();
  }

  async markFailed(id: string, reason: string): Promise<void> {
    await this.versions
      .updateOne(
        { _id: id },
        { $set: { status: 'failed', failureReason: reason, processedAt: new Date() } },
      )
      .exec();
  }

  async setJob(id: string, jobId: string): Promise<void> {
    await this.versions.updateOne({ _id: id }, { $set: { 'origin.jobId': jobId } }).exec();
  }

  async deleteForDataset(datasetId: string): Promise<void> {
    await this.versions.deleteMany({ datasetId }).exec();
  }

  async delete(id: string): Promise<void> {
    await this.versions.deleteOne({ _id: id }).exec();
  }
}
