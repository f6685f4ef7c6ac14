import { IsDate, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { Type } from 'class-transformer';

export class CreateApiKeyDto {
  /** What the key is for, e.g. "nightly scoring cron". */
  @IsString() @MinLength(1) @MaxLength(100) name!: string;
  /** When the key stops working (ISO 8601); never when absent. */
  @IsOptional() @Type(() => Date) @IsDate() expiresAt?: Date;
}
