import { IsIn, IsOptional } from 'class-validator';
import { VersionQueryDto } from './version-query.dto';

export const DOWNLOAD_FORMATS = ['csv', 'parquet', 'original'] as const;
export type DownloadFormat = (typeof DOWNLOAD_FORMATS)[number];

export class DownloadQueryDto extends VersionQueryDto {
  /**
   * `csv` (typed values, header, comma-separated, UTF-8), `parquet` (the typed columnar copy) or
   * `original` (the file as uploaded; versions made by a transformation have none).
   */
  @IsOptional() @IsIn(DOWNLOAD_FORMATS) format: DownloadFormat = 'csv';
}
