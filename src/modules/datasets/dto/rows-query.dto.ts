import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { VersionQueryDto } from './version-query.dto';

export const MAX_ROWS_PAGE = 1000;

export class RowsQueryDto extends VersionQueryDto {
  /** Rows to skip. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset: number = 0;
  /** Rows to return (1–1000). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_ROWS_PAGE) limit: number = 100;
  /** Comma-separated column names to return; all columns when absent. */
  @IsOptional() @IsString() @MaxLength(10_000) columns?: string;
}
