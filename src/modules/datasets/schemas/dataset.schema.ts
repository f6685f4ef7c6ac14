import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export const DATASET_STATES = ['active', 'deleting'] as const;
export type DatasetState = (typeof DATASET_STATES)[number];

/** A named dataset a user owns; its content lives in versions (dataset_versions). */
@Schema({ collection: 'datasets', versionKey: false })
export class Dataset {
  @Prop({ type: String, required: true }) ownerId!: string;
  @Prop({ type: String, required: true, trim: true }) name!: string;
  @Prop({ type: String }) description?: string;
  /** The version reads and new versions start from. */
  @Prop({ type: String, required: true }) currentVersionId!: string;
  @Prop({ type: Number, required: true }) versionCount!: number;
  /** `deleting` once a delete started; a repeated DELETE finishes it. */
  @Prop({ type: String, required: true, enum: DATASET_STATES }) state!: DatasetState;
  @Prop({ type: Date, required: true }) createdAt!: Date;
  @Prop({ type: Date, required: true }) updatedAt!: Date;
}

export const DatasetSchema = SchemaFactory.createForClass(Dataset);
