import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { DATASET_FORMATS, type DatasetFormat } from '../engine/formats';
import type { DateOrder } from '../engine/lexical-types';
import type { SemanticType, StorageType } from '../engine/typed-copy';

export const VERSION_STATUSES = ['processing', 'ready', 'failed'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];

export interface VersionColumn {
  name: string;
  storageType: StorageType;
  semanticType: SemanticType;
}

export interface VersionSource {
  fileName: string;
  format: DatasetFormat;
  encoding?: string;
  delimiter?: string;
  /** Header names as read during upload (text formats). */
  header: string[];
  /**
   * Delimited text: per column, the narrowest type every value matched during upload (absent
   * on versions stored before the upload pass typed fields; those are typed from samples).
   */
  lexicalTypes?: StorageType[];
  /** Delimited text: per column, whether its datetimes carry UTC offsets. */
  utcOffsets?: boolean[];
  /** Delimited text: per column, whether its booleans are all bare words (no padding). */
  bareBooleans?: boolean[];
  /** Delimited text: per column of calendar dates (31/12/2024), their order; null elsewhere. */
  dateOrders?: (DateOrder | null)[];
  /** Delimited text: per column, whether it holds decimal-comma numbers (1,5). */
  decimalCommas?: boolean[];
  /** Delimited text: whether any field was a missing marker other than the empty field. */
  missingMarkers?: boolean;
  /** Delimited text: bytes of the longest record (absent on versions stored before). */
  longestRecordBytes?: number;
  /** Size of the file as uploaded (compressed, when it came compressed). */
  bytes: number;
  /** SHA-256 of the uploaded bytes. */
  sha256: string;
  /** Text uploaded gzip-compressed: the worker reads it inflated. */
  compression?: 'gzip';
  /** The text's size once inflated, for a compressed upload. */
  uncompressedBytes?: number;
  key: string;
}

export interface VersionOrigin {
  /** How the version was made: an upload now; transformations in later issues. */
  kind: 'upload' | 'transformation';
  /** Job that produced or processed it, when there is one. */
  jobId?: string;
  /** For a transformation: the pipeline run (transformations module) that made it. */
  runId?: string;
}

/** One immutable content of a dataset, with its processing state and results. */
@Schema({ collection: 'dataset_versions', versionKey: false })
export class DatasetVersion {
  @Prop({ type: String, required: true }) datasetId!: string;
  @Prop({ type: String, required: true }) ownerId!: string;
  @Prop({ type: Number, required: true }) number!: number;
  @Prop({ type: String }) parentVersionId?: string;
  @Prop({ type: String, required: true }) createdBy!: string;
  @Prop({ type: Date, required: true }) createdAt!: Date;
  @Prop({ type: Object, required: true }) origin!: VersionOrigin;
  @Prop({ type: Object, required: true }) source!: VersionSource;
  @Prop({ type: String, required: true, enum: VERSION_STATUSES }) status!: VersionStatus;
  @Prop({ type: String }) failureReason?: string;
  @Prop({ type: Number }) progress?: number;
  @Prop({ type: String }) stage?: string;
  @Prop({ type: [Object], default: undefined }) columns?: VersionColumn[];
  @Prop({ type: Number }) rowCount?: number;
  @Prop({ type: Number }) columnCount?: number;
  @Prop({ type: String }) contentHash?: string;
  @Prop({ type: Number }) parquetBytes?: number;
  @Prop({ type: Date }) processedAt?: Date;
}

export const DatasetVersionSchema = SchemaFactory.createForClass(DatasetVersion);
export { DATASET_FORMATS };
