import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsMongoId,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from 'src/core/http/pagination';
import {
  SEMANTIC_TYPES,
  type SemanticType,
  STORAGE_TYPES,
  type StorageType,
} from '../../datasets/engine/typed-copy';
import { MAX_PIPELINE_STEPS } from './pipeline-request.dto';

export class RecipeColumnDto {
  @IsString() @IsNotEmpty() @MaxLength(300) name!: string;
  @IsIn(STORAGE_TYPES) storageType!: StorageType;
  @IsIn(SEMANTIC_TYPES) semanticType!: SemanticType;
}

/** Where a recipe's expected input schema comes from: a dataset version the steps were built on. */
export class RecipeSourceDto {
  @IsMongoId() datasetId!: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) version?: number;
}

const STEPS_DOC = {
  type: 'array',
  items: { type: 'object', additionalProperties: true },
  description: 'Ordered pipeline steps, as for /transformations/preview',
} as const;

export class CreateRecipeDto {
  @IsString() @Matches(/\S/, { message: 'name must not be blank' }) @MaxLength(200) name!: string;
  @IsOptional() @IsString() @MaxLength(2000) description?: string;
  @ApiProperty(STEPS_DOC)
  @IsArray()
  @ArrayMaxSize(MAX_PIPELINE_STEPS)
  @IsObject({ each: true })
  steps!: Record<string, unknown>[];
  /** The columns the steps expect; give this or `from`. */
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => RecipeColumnDto)
  inputSchema?: RecipeColumnDto[];
  /** Take the expected columns from this dataset version. */
  @IsOptional() @ValidateNested() @Type(() => RecipeSourceDto) from?: RecipeSourceDto;
}

export class UpdateRecipeDto {
  @IsOptional()
  @IsString()
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxLength(200)
  name?: string;
  @IsOptional() @IsString() @MaxLength(2000) description?: string;
  /** New steps: makes a new recipe version. */
  @ApiProperty({ ...STEPS_DOC, required: false })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_PIPELINE_STEPS)
  @IsObject({ each: true })
  steps?: Record<string, unknown>[];
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => RecipeColumnDto)
  inputSchema?: RecipeColumnDto[];
  @IsOptional() @ValidateNested() @Type(() => RecipeSourceDto) from?: RecipeSourceDto;
  /** What changed, kept with the new version. */
  @IsOptional() @IsString() @MaxLength(500) note?: string;
}

export class ShareRecipeDto {
  /** E-mail addresses of the users who may read and apply the recipe (replaces the list). */
  @IsArray() @ArrayMaxSize(100) @IsEmail({}, { each: true }) users!: string[];
  /** Anyone signed in may read and apply it. */
  @IsBoolean() public!: boolean;
}

export class RecipeTargetDto {
  @IsMongoId() datasetId!: string;
  /** Dataset version (default: current). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) version?: number;
  /** Recipe version (default: latest). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) recipeVersion?: number;
}

export class ApplyRecipeDto extends RecipeTargetDto {
  @IsOptional() @IsBoolean() confirm?: boolean;
}

export const RECIPE_SCOPES = ['all', 'mine', 'shared', 'public'] as const;

export class ListRecipesDto extends PageQuery {
  /** mine, shared (with me), public, or all I can read (default). */
  @IsOptional() @IsIn(RECIPE_SCOPES) scope: (typeof RECIPE_SCOPES)[number] = 'all';
  /** Only recipes whose name contains this text (case-insensitive). */
  @IsOptional() @IsString() @MaxLength(200) name?: string;
}

export class RecipeVersionQueryDto {
  /** A specific version (default: latest). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) version?: number;
}
