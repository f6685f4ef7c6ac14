import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, Types } from 'mongoose';
import { type Lean, type WithId, withId } from '../mongo-records';
import { type ReproducedStep, Reproduction } from '../schemas/reproduction.schema';

export type ReproductionRecord = WithId<Reproduction>;

@Injectable()
export class ReproductionsRepository {
  constructor(
    @InjectModel(Reproduction.name) private readonly reproductions: Model<Reproduction>,
  ) {}

  async create(input: Reproduction): Promise<ReproductionRecord> {
    const doc = await this.reproductions.create({ _id: new Types.ObjectId(), ...input });
    return withId(doc.toObject<Lean<Reproduction>>());
  }

  async find(id: string): Promise<ReproductionRecord | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const doc = await this.reproductions.findById(id).lean<Lean<Reproduction>>().exec();
    return doc ? withId(doc) : null;
  }

  async setJob(id: string, jobId: string): Promise<void> {
    await this.reproductions.updateOne({ _id: id }, { $set: { jobId } }).exec();
  }

  async complete(
    id: string,
    outcome: {
      matches: boolean;
      expectedHash: string;
      actualHash: string;
      chain: ReproducedStep[];
    },
  ): Promise<void> {
    await this.reproductions
      .updateOne({ _id: id }, { $set: { ...outcome, state: 'completed', finishedAt: new Date() } })
      .exec();
  }

  async fail(id: string, reason: string): Promise<void> {
    await this.reproductions
      .updateOne(
        { _id: id },
        { $set: { state: 'failed', failureReason: reason, finishedAt: new Date() } },
      )
      .exec();
  }

  async deleteForVersions(versionIds: string[]): Promise<void> {
    await this.reproductions.deleteMany({ versionId: { $in: versionIds } }).exec();
  }
}
