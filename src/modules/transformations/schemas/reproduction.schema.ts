import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export const REPRODUCTION_STATES = ['running', 'completed', 'failed'] as const;
export type ReproductionState = (typeof REPRODUCTION_STATES)[number];

/** One link of the chain from the root upload to the version being reproduced. */
export interface ReproducedStep {
  versionId: string;
  versionNumber: number;
  /** `upload`: the typed copy rebuilt from the original file; `transformation`: a pipeline re-fit. */
  kind: 'upload' | 'transformation';
  expectedHash: string;
  actualHash: string;
  matches: boolean;
}

/** A request to rebuild a version from its root and recorded pipelines, and what it found. */
@Schema({ collection: 'lineage_reproductions', versionKey: false })
export class Reproduction {
  @Prop({ type: String, required: true }) ownerId!: string;
  @Prop({ type: String, required: true }) datasetId!: string;
  @Prop({ type: String, required: true }) versionId!: string;
  @Prop({ type: Number, required: true }) versionNumber!: number;
  @Prop({ type: String, required: true, enum: REPRODUCTION_STATES }) state!: ReproductionState;
  @Prop({ type: String }) jobId?: string;
  @Prop({ type: Boolean }) matches?: boolean;
  @Prop({ type: String }) expectedHash?: string;
  @Prop({ type: String }) actualHash?: string;
  @Prop({ type: [Object], default: undefined }) chain?: ReproducedStep[];
  @Prop({ type: String }) failureReason?: string;
  @Prop({ type: String, required: true }) createdBy!: string;
  @Prop({ type: Date, required: true }) createdAt!: Date;
  @Prop({ type: Date }) finishedAt?: Date;
}

export const ReproductionSchema = SchemaFactory.createForClass(Reproduction);
