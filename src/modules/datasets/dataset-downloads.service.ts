import { extname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from 'src/core/auth';
import { DatasetError, DatasetErrorCode } from './datasets.errors';
import { DATASETS_OPTIONS, type DatasetsOptions } from './datasets.options';
import { DatasetsService } from './datasets.service';
import type { DownloadFormat } from './dto/download-query.dto';
import type { DatasetFormat } from './engine/formats';
import { DatasetStorage } from './storage/dataset-storage';
import { openReadStream, temporaryFileStream } from './storage/downloads';
import { ParquetCache } from './storage/parquet-cache';
import { RowPageReader } from './storage/row-pages';

/** The media type of an uploaded file, text in the encoding the upload pass found. */
function uploadedType(source: {
  format: DatasetFormat;
  encoding?: string;
  compression?: 'gzip';
}): string {
  if (source.compression === 'gzip') return 'application/gzip';
  const charset = source.encoding === 'latin-1' ? 'iso-8859-1' : 'utf-8';
  switch (source.format) {
    case 'csv':
      return `text/csv; charset=${charset}`;
    case 'tsv':
      return `text/tab-separated-values; charset=${charset}`;
    case 'jsonl':
      return 'application/x-ndjson';
    case 'parquet':
      return 'application/vnd.apache.parquet';
    case 'xlsx':
      return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  }
}

/** The uploaded file's extension; `.csv.gz` for compressed text, whatever it was called. */
function uploadedExtension(source: { fileName: string; compression?: 'gzip' }): string {
  if (source.compression !== 'gzip') return extname(source.fileName);
  return `${extname(source.fileName.replace(/\.gz$/i, ''))}.gz`;
}

export interface Download {
  body: Readable;
  fileName: string;
  contentType: string;
}

/**
 * A version's data as a file: CSV written by DuckDB from the typed copy, the typed copy itself,
 * or the uploaded file. The copy is read through the local cache; CSV goes through a temporary
 * file that is unlinked as soon as it is open.
 */
@Injectable()
export class DatasetDownloadsService {
  constructor(
    private readonly datasets: DatasetsService,
    private readonly storage: DatasetStorage,
    private readonly cache: ParquetCache,
    private readonly rowPages: RowPageReader,
    @Inject(DATASETS_OPTIONS) private readonly options: DatasetsOptions,
  ) {}

  async download(
    user: AuthenticatedUser,
    id: string,
    format: DownloadFormat,
    number?: number,
  ): Promise<Download> {
    const { dataset, version } = await this.datasets.readyVersion(user, id, number);
    const baseName = `${dataset.name}-v${version.number}`;
    switch (format) {
      case 'original': {
        if (version.origin.kind !== 'upload')
          throw new DatasetError(
            DatasetErrorCode.NoOriginalFile,
            `Version ${version.number} of dataset ${id} was made by a transformation, not uploaded: download it as csv or parquet.`,
          );
        const ext = uploadedExtension(version.source);
        return {
          body: await this.storage.getStream(version.source.key),
          fileName: `${baseName}${ext}`,
          contentType: uploadedType(version.source),
        };
      }
      case 'parquet':
        return {
          body: await openReadStream(await this.cache.path(version)),
          fileName: `${baseName}.parquet`,
          contentType: 'application/vnd.apache.parquet',
        };
      case 'csv': {
        const parquet = await this.cache.path(version);
        const body = await temporaryFileStream(
          join(this.options.scratchDir, 'downloads'),
          'csv',
          (path) => this.rowPages.writeCsv(parquet, path),
        );
        return { body, fileName: `${baseName}.csv`, contentType: 'text/csv; charset=utf-8' };
      }
    }
  }
}
