import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, Types } from 'mongoose';
import { isDuplicateKey, type Lean, type WithId, withId } from '../mongo-records';
import { TransformationRun, type RunTimings } from '../schemas/transformation-run.schema';

export type RunRecord = WithId<TransformationRun>;

export interface RunOutcome {
  versionId: string;
  versionNumber: number;
  fittedJson: string;
  reportJson: string;
  timings: RunTimings;
}

@Injectable()
export class TransformationRunsRepository {
  constructor(
    @InjectModel(TransformationRun.name) private readonly runs: Model<TransformationRun>,
  ) {}

  /** Inserts a run; null when a run of the same pipeline on the same version exists. */
  async insert(input: TransformationRun): Promise<RunRecord | null> {
    try {
      const doc = await this.runs.create({ _id: new Types.ObjectId(), ...input });
      return withId(doc.toObject<Lean<TransformationRun>>());
    } catch (error) {
      if (isDuplicateKey(error)) return null;
      throw error;
    }
  }

  async find(id: string): Promise<RunRecord | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const doc = await this.runs.findById(id).lean<Lean<TransformationRun>>().exec();
    return doc ? withId(doc) : null;
  }

  async findScoped(id: string, scope: { ownerId?: string }): Promise<RunRecord | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const doc = await this.runs
      .findOne({ _id: id, ...scope })
      .lean<Lean<TransformationRun>>()
      .exec();
    return doc ? withId(doc) : null;
  }

  async findByPipeline(parentVersionId: string, pipelineHash: string): Promise<RunRecord | null> {
    const doc = await this.runs
      .findOne({ parentVersionId, pipelineHash })
      .lean<Lean<TransformationRun>>()
      .exec();
    return doc ? withId(doc) : null;
  }

  async findByIds(ids: string[]): Promise<RunRecord[]> {
    const valid = ids.filter((id) => Types.ObjectId.isValid(id));
    if (valid.length === 0) return [];
    const docs = await this.runs
      .find({ _id: { $in: valid } })
      .lean<Lean<TransformationRun>[]>()
      .exec();
    return docs.map(withId);
  }

  async list(
    filter: { ownerId?: string; datasetId?: string },
    offset: number,
    limit: number,
  ): Promise<{ items: RunRecord[]; total: number }> {
    const [docs, total] = await Promise.all([
      this.runs
        .find(filter)
        .sort({ createdAt: -1 })
        .skip(offset)
        .limit(limit)
        .lean<Lean<TransformationRun>[]>()
        .exec(),
      this.runs.countDocuments(filter).exec(),
    ]);
    return { items: docs.map(withId), total };
  }

  /** Runs still in flight that read the version (a delete must wait for them). */
  async runningOn(datasetId: string, versionId?: string): Promise<RunRecord[]> {
    const docs = await this.runs
      .find({ datasetId, state: 'running', ...(versionId ? { parentVersionId: versionId } : {}) })
      .lean<Lean<TransformationRun>[]>()
      .exec();
    return docs.map(withId);
  }

  async existsReadyForOwner(ownerId: string): Promise<boolean> {
    return (await this.runs.exists({ ownerId, state: 'ready' }).exec()) !== null;
  }

  async setJob(id: string, jobId: string): Promise<void> {
    await this.runs.updateOne({ _id: id }, { $set: { jobId } }).exec();
  }

  async markReady(id: string, outcome: RunOutcome): Promise<void> {
    await this.runs
      .updateOne({ _id: id }, { $set: { ...outcome, state: 'ready', finishedAt: new Date() } })
      .exec();
  }

  async markFailed(id: string, reason: string): Promise<void> {
    await this.runs
      .updateOne(
        { _id: id, state: 'running' },
        { $set: { state: 'failed', failureReason: reason, finishedAt: new Date() } },
      )
      .exec();
  }

  /** Removes a failed run so the same pipeline can be applied again. */
  async deleteFailed(id: string): Promise<boolean> {
    const result = await this.runs.deleteOne({ _id: id, state: 'failed' }).exec();
    return result.deletedCount === 1;
  }

  /** Removes a finished run (failed, or whose version was deleted) from the dedup index. */
  async forget(id: string): Promise<void> {
    await this.runs.deleteOne({ _id: id, state: { $ne: 'running' } }).exec();
  }

  /** Removes the finished runs that read or made these (deleted) versions. */
  async deleteForVersions(versionIds: string[]): Promise<void> {
    await this.runs
      .deleteMany({
        state: { $ne: 'running' },
        $or: [{ parentVersionId: { $in: versionIds } }, { versionId: { $in: versionIds } }],
      })
      .exec();
  }
}
