import { Type } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';

/** Which version a read is of. */
export class VersionQueryDto {
  /** The version number to read (see GET /datasets/:id/versions); the current one when absent. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) version?: number;
}
