import { ApiProperty } from '@nestjs/swagger';
import { PageInfo } from 'src/core/http/pagination';
import { ColumnDto } from './transformation-responses.dto';

export class RecipeDto {
  id!: string;
  name!: string;
  description?: string;
  ownerId!: string;
  /** The version shown (latest unless asked otherwise). */
  version!: number;
  latestVersion!: number;
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } })
  steps!: Record<string, unknown>[];
  @ApiProperty({ type: [ColumnDto] }) inputSchema!: ColumnDto[];
  /** E-mail addresses it is shared with (owner and admins only). */
  sharedWith?: string[];
  public!: boolean;
  /** owner, shared or public: how you can read it. */
  access!: string;
  createdAt!: Date;
  updatedAt!: Date;
}

export class RecipePageDto {
  @ApiProperty({ type: [RecipeDto] }) items!: RecipeDto[];
  @ApiProperty({ type: PageInfo }) page!: PageInfo;
}

export class RecipeVersionDto {
  version!: number;
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } })
  steps!: Record<string, unknown>[];
  @ApiProperty({ type: [ColumnDto] }) inputSchema!: ColumnDto[];
  note?: string;
  createdBy!: string;
  createdAt!: Date;
}

export class TypeMismatchDto {
  column!: string;
  expected!: string;
  actual!: string;
}

export class FieldIssueDto {
  field!: string;
  message!: string;
}

export class CompatibilityDto {
  compatible!: boolean;
  recipeVersion!: number;
  datasetId!: string;
  version!: number;
  /** Columns the recipe expects that the dataset lacks. */
  missingColumns!: string[];
  /** Columns present with a different type. */
  @ApiProperty({ type: [TypeMismatchDto] }) typeMismatches!: TypeMismatchDto[];
  /** The pipeline's own validation against the dataset's columns (step and field). */
  @ApiProperty({ type: [FieldIssueDto] }) issues!: FieldIssueDto[];
  /** The mismatch in words. */
  explanation!: string;
}
