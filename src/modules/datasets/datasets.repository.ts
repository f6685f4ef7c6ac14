import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, type SortOrder, Types } from 'mongoose';
import { Dataset } from './schemas/dataset.schema';

export interface DatasetRecord extends Dataset {
  id: string;
}

type DatasetLean = Dataset & { _id: Types.ObjectId };

function toRecord({ _id, ...rest }: DatasetLean): DatasetRecord {
  return { id: _id.toHexString(), ...rest };
}

export interface DatasetListQuery {
  scope: { ownerId?: string };
  name?: string;
  sort: Record<string, SortOrder>;
  offset: number;
  limit: number;
}

function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

@Injectable()
export class DatasetsRepository {
  constructor(@InjectModel(Dataset.name) private readonly datasets: Model<Dataset>) {}

  async create(id: string, input: Dataset): Promise<DatasetRecord> {
    const doc = await this.datasets.create({ _id: new Types.ObjectId(id), ...input });
    return toRecord(doc.toObject<DatasetLean>());
  }

  /** The dataset when it exists and the scope (owner, or everything for admins) covers it. */
  async findScoped(id: string, scope: { ownerId?: string }): Promise<DatasetRecord | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const doc = await this.datasets
      .findOne({ _id: id, ...scope })
      .lean<DatasetLean>()
      .exec();
    return doc ? toRecord(doc) : null;
  }

  async list(query: DatasetListQuery): Promise<{ items: DatasetRecord[]; total: number }> {
    const filter = {
      ...query.scope,
      ...(query.name ? { name: { $regex: escapeRegex(query.name), $options: 'i' } } : {}),
    };
    const [docs, total] = await Promise.all([
      this.datasets
        .find(filter)
        .sort({ ...query.sort, _id: -1 })
        .skip(query.offset)
        .limit(query.limit)
        .lean<DatasetLean[]>()
        .exec(),
      this.datasets.countDocuments(filter).exec(),
    ]);
    return { items: docs.map(toRecord), total };
  }

  async update(
    id: string,
    scope: { ownerId?: string },
    set: Partial<Pick<Dataset, 'name' | 'description'>>,
    unset: string[],
  ): Promise<DatasetRecord | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const update: Record<string, unknown> = { $set: { ...set, updatedAt: new Date() } };
    if (unset.length > 0) update.$unset = Object.fromEntries(unset.map((field) => [field, '']));
    const doc = await this.datasets
      .findOneAndUpdate({ _id: id, ...scope, state: 'active' }, update, { returnDocument: 'after' })
      .lean<DatasetLean>()
      .exec();
    return doc ? toRecord(doc) : null;
  }

  async setCurrentVersion(id: string, versionId: string, versionCount: number): Promise<void> {
    await this.datasets
      .updateOne(
        { _id: id },
        { $set: { currentVersionId: versionId, versionCount, updatedAt: new Date() } },
      )
      .exec();
  }

  async markDeleting(id: string): Promise<void> {
    await this.datasets
      .updateOne({ _id: id }, { $set: { state: 'deleting', updatedAt: new Date() } })
      .exec();
  }

  async delete(id: string): Promise<void> {
    await this.datasets.deleteOne({ _id: id }).exec();
  }

  async findByIds(ids: string[]): Promise<DatasetRecord[]> {
    const docs = await this.datasets
      .find({ _id: { $in: ids.filter((id) => Types.ObjectId.isValid(id)) } })
      .lean<DatasetLean[]>()
      .exec();
    return docs.map(toRecord);
  }
}
