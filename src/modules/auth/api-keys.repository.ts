import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, Types } from 'mongoose';
import { ApiKey } from './schemas/api-key.schema';

export interface ApiKeyRecord {
  id: string;
  ownerId: string;
  name: string;
  prefix: string;
  createdAt: Date;
  expiresAt?: Date;
  lastUsedAt?: Date;
  revokedAt?: Date;
}

type ApiKeyLean = ApiKey & { _id: Types.ObjectId };

function toRecord({ _id, keyHash: _hash, ...rest }: ApiKeyLean): ApiKeyRecord {
  return { id: _id.toHexString(), ...rest };
}

@Injectable()
export class ApiKeysRepository {
  constructor(@InjectModel(ApiKey.name) private readonly keys: Model<ApiKey>) {}

  async create(input: Omit<ApiKey, 'lastUsedAt' | 'revokedAt'>): Promise<ApiKeyRecord> {
    const doc = await this.keys.create(input);
    return toRecord(doc.toObject());
  }

  async findActiveByHash(keyHash: string, now: Date): Promise<ApiKeyRecord | null> {
    const doc = await this.keys
      .findOne({
        keyHash,
        revokedAt: { $exists: false },
        $or: [{ expiresAt: { $exists: false } }, { expiresAt: { $gt: now } }],
      })
      .lean<ApiKeyLean>()
      .exec();
    return doc ? toRecord(doc) : null;
  }

  async listOwnedBy(
    ownerId: string,
    offset: number,
    limit: number,
  ): Promise<{ items: ApiKeyRecord[]; total: number }> {
    const filter = { ownerId, revokedAt: { $exists: false } };
    const [docs, total] = await Promise.all([
      this.keys
        .find(filter)
        .sort({ createdAt: -1 })
        .skip(offset)
        .limit(limit)
        .lean<ApiKeyLean[]>()
        .exec(),
      this.keys.countDocuments(filter).exec(),
    ]);
    return { items: docs.map(toRecord), total };
  }

  /** Revokes an active key the owner holds; false when there is none. */
  async revokeOwned(id: string, ownerId: string): Promise<boolean> {
    if (!Types.ObjectId.isValid(id)) return false;
    const result = await this.keys
      .updateOne(
        { _id: id, ownerId, revokedAt: { $exists: false } },
        { $set: { revokedAt: new Date() } },
      )
      .exec();
    return result.modifiedCount === 1;
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.keys.updateOne({ _id: id }, { $set: { lastUsedAt: at } }).exec();
  }
}
