import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import type { JobKind, JobState } from './job-catalogue';

/** Links to what a job produced (`{ dataset: '/api/v1/datasets/…' }`). */
export type JobResultLinks = Record<string, string>;

/**
 * The durable record of one background job. BullMQ holds the queue; this document is what users
 * see and what survives restarts. `_id` is also the BullMQ job id, so a retried or re-enqueued
 * job cannot be duplicated.
 */
@Schema({ collection: 'jobs', versionKey: false })
export class JobRecord {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) ownerId!: string;
  @Prop({ type: String, required: true }) kind!: JobKind;
  @Prop({ type: String, required: true }) state!: JobState;
  /** What the job is doing now, in words ("profiling columns"). */
  @Prop({ type: String }) stage?: string;
  @Prop({ type: Number, required: true, default: 0 }) progress!: number;
  /** Estimated completion, from progress so far. */
  @Prop({ type: Date }) eta?: Date;
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) payload!: Record<string, unknown>;
  @Prop({ type: MongooseSchema.Types.Mixed }) result?: JobResultLinks;
  @Prop({ type: MongooseSchema.Types.Mixed }) error?: { reason: string; code?: string };
  @Prop({ type: Number, required: true, default: 0 }) attempts!: number;
  @Prop({ type: Boolean, required: true, default: false }) cancelRequested!: boolean;
  @Prop({ type: Date, required: true }) createdAt!: Date;
  @Prop({ type: Date }) startedAt?: Date;
  @Prop({ type: Date }) finishedAt?: Date;
  @Prop({ type: Date, required: true }) updatedAt!: Date;
}

export const JobRecordSchema = SchemaFactory.createForClass(JobRecord);

@Schema({ collection: 'job_logs', versionKey: false })
export class JobLog {
  @Prop({ type: String, required: true }) jobId!: string;
  @Prop({ type: Date, required: true }) at!: Date;
  @Prop({ type: String, required: true }) level!: 'info' | 'warn' | 'error';
  @Prop({ type: String, required: true }) message!: string;
}

export const JobLogSchema = SchemaFactory.createForClass(JobLog);
