import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { JOB_KINDS, JOB_STATES, type JobKind, type JobState, type JobView } from 'src/core/jobs';
import { PageInfo, PageQuery } from 'src/core/http/pagination';

export class JobDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: JOB_KINDS }) kind!: JobKind;
  @ApiProperty({ enum: JOB_STATES }) state!: JobState;
  /** What the job is doing now. */
  @ApiPropertyOptional() stage?: string;
  /** From 0 to 1. */
  @ApiProperty() progress!: number;
  @ApiPropertyOptional() eta?: Date;
  @ApiProperty() createdAt!: Date;
  @ApiPropertyOptional() startedAt?: Date;
  @ApiPropertyOptional() finishedAt?: Date;
  /** Run time so far (or in total once finished), in milliseconds. */
  @ApiPropertyOptional() durationMs?: number;
  @ApiProperty() attempts!: number;
  @ApiProperty() cancelRequested!: boolean;
  /** Links to what the job produced. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  result?: Record<string, string>;
  /** Why the job failed. */
  @ApiPropertyOptional() error?: { reason: string; code?: string };
}

export class JobPageDto {
  @ApiProperty({ type: [JobDto] }) items!: JobDto[];
  @ApiProperty() page!: PageInfo;
}

export class JobListQuery extends PageQuery {
  @IsOptional() @IsIn(JOB_KINDS) kind?: JobKind;
  @IsOptional() @IsIn(JOB_STATES) state?: JobState;
}

export class JobLogDto {
  @ApiProperty() at!: Date;
  @ApiProperty({ enum: ['info', 'warn', 'error'] }) level!: string;
  @ApiProperty() message!: string;
}

export class JobLogPageDto {
  @ApiProperty({ type: [JobLogDto] }) items!: JobLogDto[];
  @ApiProperty() page!: PageInfo;
}

/** A diagnostic job that exercises the worker pipeline end to end. */
export class ProbeJobDto {
  @IsInt() @Min(1) @Max(1000) steps!: number;
  @IsInt() @Min(0) @Max(60_000) stepMs!: number;
  /** Burn CPU in a worker thread instead of sleeping. */
  @IsOptional() @IsBoolean() cpu?: boolean;
  /** Fail with this message after the last step. */
  @IsOptional() @IsString() @MaxLength(200) failWith?: string;
  @IsOptional() @IsString() @MaxLength(100) effectKey?: string;
}

export function toJobDto(job: JobView): JobDto {
  const end = job.finishedAt ?? (job.startedAt ? new Date() : undefined);
  return {
    id: job._id,
    kind: job.kind,
    state: job.state,
    stage: job.stage,
    progress: job.progress,
    eta: job.eta,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    durationMs: job.startedAt && end ? end.getTime() - job.startedAt.getTime() : undefined,
    attempts: job.attempts,
    cancelRequested: job.cancelRequested,
    result: job.result,
    error: job.error,
  };
}
