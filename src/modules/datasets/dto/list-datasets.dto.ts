import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from 'src/core/http/pagination';

export const DATASET_SORTS = [
  'name',
  '-name',
  'createdAt',
  '-createdAt',
  'updatedAt',
  '-updatedAt',
] as const;
export type DatasetSort = (typeof DATASET_SORTS)[number];

export class ListDatasetsDto extends PageQuery {
  /** Only datasets whose name contains this text (case-insensitive). */
  @IsOptional() @IsString() @MaxLength(200) name?: string;
  /** Sort key; a leading `-` sorts descending. */
  @IsOptional() @IsIn(DATASET_SORTS) sort: DatasetSort = '-createdAt';
}
