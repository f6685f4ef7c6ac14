import { IsMongoId, IsOptional } from 'class-validator';
import { PageQuery } from 'src/core/http/pagination';

export class ListRunsDto extends PageQuery {
  /** Only runs on this dataset. */
  @IsOptional() @IsMongoId() datasetId?: string;
}
