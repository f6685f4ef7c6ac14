import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export const RUN_STATES = ['running', 'ready', 'failed'] as const;
export type RunState = (typeof RUN_STATES)[number];

export interface RunRecipeRef {
  id: string;
  name: string;
  version: number;
}

export interface RunTimings {
  fitMs: number;
  writeMs: number;
  hashMs: number;
  profileMs: number;
  totalMs: number;
}

/**
 * One application of a pipeline to one dataset version. `(parentVersionId, pipelineHash)` is
 * unique: applying the same steps to the same version again finds this run instead of making a
 * duplicate version. Steps and the fitted pipeline are stored as JSON text because their keys
 * come from user data (column and category names), which MongoDB keys may not hold.
 */
@Schema({ collection: 'transformation_runs', versionKey: false })
export class TransformationRun {
  @Prop({ type: String, required: true }) ownerId!: string;
  @Prop({ type: String, required: true }) datasetId!: string;
  @Prop({ type: String, required: true }) parentVersionId!: string;
  @Prop({ type: Number, required: true }) parentVersionNumber!: number;
  @Prop({ type: String, required: true }) pipelineHash!: string;
  @Prop({ type: String, required: true }) stepsJson!: string;
  @Prop({ type: Boolean, required: true }) confirmed!: boolean;
  @Prop({ type: Object }) recipe?: RunRecipeRef;
  @Prop({ type: String, required: true, enum: RUN_STATES }) state!: RunState;
  @Prop({ type: String }) jobId?: string;
  @Prop({ type: String }) versionId?: string;
  @Prop({ type: Number }) versionNumber?: number;
  @Prop({ type: String }) fittedJson?: string;
  @Prop({ type: String }) reportJson?: string;
  @Prop({ type: Object }) timings?: RunTimings;
  @Prop({ type: String }) failureReason?: string;
  @Prop({ type: String, required: true }) createdBy!: string;
  @Prop({ type: Date, required: true }) createdAt!: Date;
  @Prop({ type: Date }) finishedAt?: Date;
}

export const TransformationRunSchema = SchemaFactory.createForClass(TransformationRun);
