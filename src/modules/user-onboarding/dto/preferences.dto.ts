import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { DATE_FORMATS, DENSITIES, OPTIMISATION_METRICS, THEMES } from '../preferences';

export class DisplayPreferencesDto {
  @IsOptional() @IsIn(THEMES) theme?: (typeof THEMES)[number];
  @IsOptional() @IsIn(DENSITIES) density?: (typeof DENSITIES)[number];
  /** BCP 47 language tag, e.g. `en`, `de-CH`. */
  @IsOptional() @Matches(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/) language?: string;
  @IsOptional() @IsIn(DATE_FORMATS) dateFormat?: (typeof DATE_FORMATS)[number];
}

export class NotificationPreferencesDto {
  @IsOptional() @IsBoolean() email?: boolean;
  @IsOptional() @IsBoolean() inApp?: boolean;
  @IsOptional() @IsBoolean() driftAlerts?: boolean;
  @IsOptional() @IsBoolean() jobCompletion?: boolean;
}

export class DataPreferencesDto {
  @IsOptional() @IsInt() @Min(10) @Max(100) defaultPageSize?: number;
  @IsOptional() @IsInt() @Min(10) @Max(1000) previewRows?: number;
  @IsOptional() @IsInt() @Min(0) @Max(10) decimalPlaces?: number;
}

export class TrainingPreferencesDto {
  @IsOptional() @IsInt() @Min(10) @Max(3600) defaultTimeBudgetSeconds?: number;
  @IsOptional()
  @IsIn(OPTIMISATION_METRICS)
  optimisationMetric?: (typeof OPTIMISATION_METRICS)[number];
  /** Bound the AutoML search by candidates instead of the clock, for identical results. */
  @IsOptional() @IsBoolean() reproducible?: boolean;
}

/** A partial update: only the given leaves change (deep merge); unknown keys are refused. */
export class UpdatePreferencesDto {
  @IsOptional()
  @ValidateNested()
  @Type(() => DisplayPreferencesDto)
  display?: DisplayPreferencesDto;
  @IsOptional()
  @ValidateNested()
  @Type(() => NotificationPreferencesDto)
  notifications?: NotificationPreferencesDto;
  @IsOptional() @ValidateNested() @Type(() => DataPreferencesDto) data?: DataPreferencesDto;
  @IsOptional()
  @ValidateNested()
  @Type(() => TrainingPreferencesDto)
  training?: TrainingPreferencesDto;
}

export class PreferencesDto {
  @ApiProperty() schemaVersion!: number;
  @ApiProperty() preferences!: Record<string, unknown>;
  @ApiPropertyOptional() updatedAt?: Date;
}
