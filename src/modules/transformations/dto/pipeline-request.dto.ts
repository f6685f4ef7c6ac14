import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsMongoId,
  IsObject,
  IsOptional,
  Max,
  Min,
} from 'class-validator';

export const MAX_PIPELINE_STEPS = 100;

const STEPS_DOC = {
  type: 'array',
  items: { type: 'object', additionalProperties: true },
  description:
    'Ordered steps, each `{ "op": ..., "params": {...} }` (see docs/transformations.md for every op)',
  example: [
    { op: 'impute', params: { columns: ['age'], strategy: 'median' } },
    { op: 'filter', params: { expression: 'age >= 18' } },
    { op: 'scale', params: { columns: ['income'], method: 'standard' } },
  ],
} as const;

/** A pipeline to run on one version of a dataset (the current version by default). */
export class PipelineOnVersionDto {
  @IsMongoId() datasetId!: string;
  /** Version number (default: the dataset's current version). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) version?: number;
  @ApiProperty(STEPS_DOC)
  @IsArray()
  @ArrayMaxSize(MAX_PIPELINE_STEPS)
  @IsObject({ each: true })
  steps!: Record<string, unknown>[];
  /** Allows a pipeline that drops more than half of the rows. */
  @IsOptional() @IsBoolean() confirm?: boolean;
}

export class PreviewRequestDto extends PipelineOnVersionDto {
  /** Rows of the result to return (default 50). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(10_000) limit?: number;
}

export class ApplyRequestDto extends PipelineOnVersionDto {}
