import { ApiProperty } from '@nestjs/swagger';
import { PageInfo } from 'src/core/http/pagination';
import { SEMANTIC_TYPES, type SemanticType, type StorageType } from '../engine/typed-copy';
import { DATASET_FORMATS, type DatasetFormat } from '../engine/formats';

export class ColumnDto {
  name!: string;
  @ApiProperty({ enum: ['BIGINT', 'DOUBLE', 'BOOLEAN', 'DATE', 'TIMESTAMP', 'VARCHAR'] })
  storageType!: StorageType;
  @ApiProperty({ enum: SEMANTIC_TYPES }) semanticType!: SemanticType;
}

export class SameContentDto {
  datasetId!: string;
  name!: string;
  versionId!: string;
  /** `bytes` when the uploaded files are identical, `content` when the typed tables are. */
  @ApiProperty({ enum: ['bytes', 'content'] }) match!: 'bytes' | 'content';
}

export class DatasetVersionDto {
  id!: string;
  datasetId!: string;
  number!: number;
  parentVersionId?: string;
  createdBy!: string;
  createdAt!: Date;
  /** How the version was produced. */
  @ApiProperty({ enum: ['upload', 'transformation'] }) producedBy!: 'upload' | 'transformation';
  jobId?: string;
  @ApiProperty({ enum: ['processing', 'ready', 'failed'] }) status!:
    'processing' | 'ready' | 'failed';
  failureReason?: string;
  /** Processing progress, 0–1. */
  progress?: number;
  sourceFileName!: string;
  @ApiProperty({ enum: DATASET_FORMATS }) format!: DatasetFormat;
  encoding?: string;
  delimiter?: string;
  /** Size of the uploaded file (compressed, when it came gzip-compressed). */
  sourceBytes!: number;
  /** SHA-256 of the uploaded bytes. */
  sourceSha256!: string;
  /** Present when the text came gzip-compressed. */
  @ApiProperty({ enum: ['gzip'], required: false }) compression?: 'gzip';
  /** The text's size once inflated, for a compressed upload. */
  uncompressedBytes?: number;
  /** Canonical SHA-256 of the typed table (same table, same hash, whatever the file format). */
  contentHash?: string;
  parquetBytes?: number;
  rowCount?: number;
  columnCount?: number;
  columns?: ColumnDto[];
}

export class DatasetDto {
  id!: string;
  name!: string;
  description?: string;
  ownerId!: string;
  /** Processing state of the current version, or `deleting`. */
  @ApiProperty({ enum: ['processing', 'ready', 'failed', 'deleting'] }) status!:
    'processing' | 'ready' | 'failed' | 'deleting';
  failureReason?: string;
  versionCount!: number;
  currentVersion!: DatasetVersionDto;
  /** Other datasets of yours with the same bytes or the same content. */
  duplicates!: SameContentDto[];
  createdAt!: Date;
  updatedAt!: Date;
}

export class DatasetPageDto {
  @ApiProperty({ type: [DatasetDto] }) items!: DatasetDto[];
  page!: PageInfo;
}

export class DatasetVersionPageDto {
  @ApiProperty({ type: [DatasetVersionDto] }) items!: DatasetVersionDto[];
  page!: PageInfo;
}

export class DatasetSchemaDto {
  datasetId!: string;
  versionId!: string;
  rowCount!: number;
  @ApiProperty({ type: [ColumnDto] }) columns!: ColumnDto[];
}

export class DatasetRowsDto {
  @ApiProperty({ type: [ColumnDto] }) columns!: ColumnDto[];
  /** One object per row, keyed by column name; values typed (numbers, booleans, ISO dates). */
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } })
  rows!: Record<string, unknown>[];
  page!: PageInfo;
}
