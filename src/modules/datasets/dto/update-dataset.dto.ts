import { IsOptional, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';

export class UpdateDatasetDto {
  /** New name (1–200 characters). */
  @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  /** New description; null removes it. */
  @ValidateIf((_, value) => value !== null)
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;
}
