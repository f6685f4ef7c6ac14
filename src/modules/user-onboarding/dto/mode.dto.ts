import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';

export const EXPERIENCE_MODES = ['guided', 'standard', 'expert'] as const;
export type ExperienceMode = (typeof EXPERIENCE_MODES)[number];
export const DEFAULT_MODE: ExperienceMode = 'guided';

export class SetModeDto {
  /** guided: step-by-step help; standard: the usual screens; expert: every option and code execution. */
  @IsIn(EXPERIENCE_MODES) mode!: ExperienceMode;
}

export class ModeDto {
  @ApiProperty({ enum: EXPERIENCE_MODES }) mode!: ExperienceMode;
  /** True when the user never chose and this is the default. */
  @ApiProperty() isDefault!: boolean;
  @ApiPropertyOptional() updatedAt?: Date;
}
