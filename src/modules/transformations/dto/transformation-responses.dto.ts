import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageInfo } from 'src/core/http/pagination';

export class ColumnDto {
  name!: string;
  /** Physical type: BIGINT, DOUBLE, BOOLEAN, DATE, TIMESTAMP or VARCHAR. */
  storageType!: string;
  /** integer, float, boolean, date, datetime, categorical, text or identifier. */
  semanticType!: string;
}

export class StepReportDto {
  index!: number;
  op!: string;
  /** Rows after this step. */
  rows!: number;
  /** Columns after this step. */
  columns!: number;
  @ApiProperty({ type: [ColumnDto] }) schema!: ColumnDto[];
}

export class PipelineWarningDto {
  /** Step index, or null for the pipeline as a whole. */
  @ApiProperty({ type: Number, nullable: true }) step!: number | null;
  /** empty_result, column_all_missing, rows_lost, columns_lost or majority_rows_dropped. */
  code!: string;
  message!: string;
  /** A blocking warning stops an apply unless `confirm` is true. */
  blocking!: boolean;
}

export class PreviewSampleDto {
  /** True when the preview ran on a sample of a large version. */
  sampled!: boolean;
  /** Rows the preview ran on. */
  rows!: number;
  /** Rows of the version. */
  totalRows!: number;
  method!: string;
}

export class PreviewResponseDto {
  datasetId!: string;
  versionId!: string;
  version!: number;
  @ApiProperty({ type: PreviewSampleDto }) sample!: PreviewSampleDto;
  @ApiProperty({ type: [StepReportDto] }) steps!: StepReportDto[];
  @ApiProperty({ type: [ColumnDto] }) columns!: ColumnDto[];
  /** The first rows after the pipeline, typed (dates as ISO text). */
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } })
  rows!: Record<string, unknown>[];
  @ApiProperty({ type: [PipelineWarningDto] }) warnings!: PipelineWarningDto[];
  /** True when applying needs `confirm: true` (more than half of the rows would be dropped). */
  needsConfirmation!: boolean;
  /** What each learning step learned on the preview data (means, categories, bin edges…). */
  @ApiProperty({ type: 'object', additionalProperties: true }) fitted!: Record<string, unknown>;
  /** Milliseconds spent fitting and running the pipeline. */
  elapsedMs!: number;
}

export class ValidationResponseDto {
  valid!: boolean;
  /** Schema after each step. */
  @ApiProperty({
    type: 'array',
    items: { type: 'array', items: { $ref: '#/components/schemas/ColumnDto' } },
  })
  schemas!: ColumnDto[][];
}

export class RunRecipeDto {
  id!: string;
  name!: string;
  version!: number;
}

export class RunTimingsDto {
  fitMs!: number;
  writeMs!: number;
  hashMs!: number;
  profileMs!: number;
  totalMs!: number;
}

export class TransformationRunDto {
  id!: string;
  datasetId!: string;
  /** The version the pipeline read. */
  parentVersionId!: string;
  parentVersion!: number;
  /** running, ready or failed. */
  state!: string;
  /** sha256 of the canonical steps; the same steps on the same version are applied once. */
  pipelineHash!: string;
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } })
  steps!: Record<string, unknown>[];
  recipe?: RunRecipeDto;
  jobId?: string;
  /** Link to the job that runs it. */
  job?: string;
  /** The version it produced, once ready. */
  versionId?: string;
  version?: number;
  /** True when this answer is an earlier run of the same pipeline on the same version. */
  duplicate!: boolean;
  @ApiProperty({ type: [PipelineWarningDto] }) warnings!: PipelineWarningDto[];
  /** The fitted pipeline (what each step learned on the whole version), once ready. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  fitted?: Record<string, unknown>;
  timings?: RunTimingsDto;
  failureReason?: string;
  createdBy!: string;
  createdAt!: Date;
  finishedAt?: Date;
}

export class TransformationRunPageDto {
  @ApiProperty({ type: [TransformationRunDto] }) items!: TransformationRunDto[];
  @ApiProperty({ type: PageInfo }) page!: PageInfo;
}
