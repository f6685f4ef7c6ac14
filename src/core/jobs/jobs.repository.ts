import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, QueryFilter, UpdateQuery } from 'mongoose';
import type { JobKind, JobState } from './job-catalogue';
import { JobLog, JobRecord } from './job.schema';

export type JobView = JobRecord;

@Injectable()
export class JobsRepository {
  constructor(
    @InjectModel(JobRecord.name) private readonly jobs: Model<JobRecord>,
    @InjectModel(JobLog.name) private readonly logs: Model<JobLog>,
  ) {}

  async insert(job: JobRecord): Promise<void> {
    await this.jobs.create(job);
  }

  find(id: string, ownerId?: string): Promise<JobView | null> {
    return this.jobs
      .findOne({ _id: id, ...(ownerId ? { ownerId } : {}) })
      .lean<JobView>()
      .exec();
  }

  async list(
    filter: { ownerId?: string; kind?: JobKind; state?: JobState },
    offset: number,
    limit: number,
  ): Promise<{ items: JobView[]; total: number }> {
    const query: QueryFilter<JobRecord> = {};
    if (filter.ownerId) query.ownerId = filter.ownerId;
    if (filter.kind) query.kind = filter.kind;
    if (filter.state) query.state = filter.state;
    const [items, total] = await Promise.all([
      this.jobs
        .find(query)
        .sort({ createdAt: -1 })
        .skip(offset)
        .limit(limit)
        .lean<JobView[]>()
        .exec(),
      this.jobs.countDocuments(query).exec(),
    ]);
    return { items, total };
  }

  countUnfinished(ownerId: string): Promise<number> {
    return this.jobs.countDocuments({ ownerId, state: { $in: ['queued', 'active'] } }).exec();
  }

  /**
   * Updates a job only while it is in one of `from` states, so a late progress report cannot
   * resurrect a finished job. Returns whether anything changed.
   */
  async transition(
    id: string,
    from: readonly JobState[],
    update: UpdateQuery<JobRecord>,
  ): Promise<boolean> {
    const result = await this.jobs
      .updateOne(
        { _id: id, state: { $in: [...from] } },
        { ...update, $set: { ...(update.$set ?? {}), updatedAt: new Date() } },
      )
      .exec();
    return result.modifiedCount === 1;
  }

  async log(jobId: string, level: JobLog['level'], message: string): Promise<void> {
    await this.logs.create({ jobId, level, message: message.slice(0, 4000), at: new Date() });
  }

  async listLogs(
    jobId: string,
    offset: number,
    limit: number,
  ): Promise<{ items: JobLog[]; total: number }> {
    const [items, total] = await Promise.all([
      this.logs
        .find({ jobId })
        .sort({ at: 1, _id: 1 })
        .skip(offset)
        .limit(limit)
        .select({ _id: 0, jobId: 0 })
        .lean<JobLog[]>()
        .exec(),
      this.logs.countDocuments({ jobId }).exec(),
    ]);
    return { items, total };
  }

  /** Deletes finished jobs older than `before` (and their logs): completed jobs are not kept forever. */
  async purgeFinishedBefore(before: Date): Promise<number> {
    const old = await this.jobs
      .find({ state: { $in: ['completed', 'failed', 'cancelled'] }, finishedAt: { $lt: before } })
      .select({ _id: 1 })
      .limit(1000)
      .lean<{ _id: string }[]>()
      .exec();
    const ids = old.map((job) => job._id);
    if (ids.length === 0) return 0;
    await this.logs.deleteMany({ jobId: { $in: ids } }).exec();
    await this.jobs.deleteMany({ _id: { $in: ids } }).exec();
    return ids.length;
  }
}
