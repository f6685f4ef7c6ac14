import { PassThrough, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { IncomingMessage } from 'node:http';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Upload } from '@aws-sdk/lib-storage';
import busboy from 'busboy';
import { Types } from 'mongoose';
import { DatasetError, DatasetErrorCode } from '../datasets.errors';
import { DatasetMetrics } from '../dataset-metrics';
import { DATASETS_OPTIONS, type DatasetsOptions } from '../datasets.options';
import {
  type DatasetFormat,
  formatFromFileName,
  isDatasetFormat,
  isGzipName,
} from '../engine/formats';
import type { StructureReport } from '../engine/structure-validator';
import { DatasetStorage } from '../storage/dataset-storage';
import { UploadInspector } from './upload-inspector';

/** A stored, structurally valid upload and the form fields that came with it. */
export interface ReceivedUpload {
  datasetId: string;
  versionId: string;
  key: string;
  fileName: string;
  structure: StructureReport;
  fields: { name?: string; description?: string };
  /** Removes the stored object (when a later step fails). */
  discard: () => Promise<void>;
}

const CONTENT_TYPES: Record<DatasetFormat, string> = {
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  jsonl: 'application/jsonl',
  parquet: 'application/vnd.apache.parquet',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};
const FIELDS = new Set(['name', 'description', 'format']);
const MULTIPART_SLACK = 64 * 1024;

/**
 * Streams a multipart upload to S3 while validating the file's structure in the same pass,
 * holding only small buffers. Any failure — a bad file, too large, an interrupted request —
 * aborts the S3 upload and deletes whatever was written, so nothing is left behind.
 */
@Injectable()
export class DatasetUploadService {
  private readonly logger = new Logger(DatasetUploadService.name);

  constructor(
    private readonly storage: DatasetStorage,
    private readonly metrics: DatasetMetrics,
    @Inject(DATASETS_OPTIONS) private readonly options: DatasetsOptions,
  ) {}

  async receive(
    req: IncomingMessage,
    datasetId = new Types.ObjectId().toHexString(),
  ): Promise<ReceivedUpload> {
    try {
      const received = await this.receiveFile(req, datasetId);
      this.metrics.stored(received.structure);
      return received;
    } catch (error) {
      this.metrics.refused(error);
      throw error;
    }
  }

  private async receiveFile(req: IncomingMessage, datasetId: string): Promise<ReceivedUpload> {
    const versionId = new Types.ObjectId().toHexString();
    const key = this.storage.keys(datasetId, versionId).source;
    const limit = this.options.maxUploadBytes;
    if (!/^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) {
      throw new DatasetError(
        DatasetErrorCode.NotMultipart,
        'Send the file as multipart/form-data in a part named "file".',
      );
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit + MULTIPART_SLACK) throw this.tooLarge(limit);

    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        // Browsers and HTTP clients send file names as raw UTF-8; busboy's latin1 default
        // turned "café.csv" into "cafÃ©.csv".
        defParamCharset: 'utf8',
        limits: { files: 1, fields: 10, fieldSize: 10_000, parts: 12 },
      });
    } catch (error) {
      throw new DatasetError(
        DatasetErrorCode.NotMultipart,
        `The multipart request is malformed: ${(error as Error).message}.`,
      );
    }
    const fields: Record<string, string> = {};
    let fileName = '';
    let upload: Upload | undefined;
    let uploadDone: Promise<unknown> | undefined;
    let fileTask: Promise<StructureReport> | undefined;

    const outcome = new Promise<StructureReport>((resolve, reject) => {
      let settled = false;
      const fail = (error: unknown): void => {
        if (settled) return;
        settled = true;
        req.unpipe(parser);
        req.resume(); // drain what the client still sends
        reject(error instanceof Error ? error : new Error(String(error)));
      };
      req.on('close', () => {
        if (!req.complete)
          fail(
            new DatasetError(
              DatasetErrorCode.UploadInterrupted,
              'The client closed the connection before the upload finished.',
            ),
          );
      });
      parser.on('field', (name, value) => {
        if (!FIELDS.has(name)) {
          fail(
            new DatasetError(
              DatasetErrorCode.UnknownField,
              `Unknown form field "${name}"; allowed: file, name, description, format.`,
            ),
          );
          return;
        }
        fields[name] = value;
      });
      parser.on('file', (name, stream, info) => {
        if (name !== 'file') {
          stream.resume();
          fail(
            new DatasetError(
              DatasetErrorCode.UnknownField,
              `The file must be in the part named "file", not "${name}".`,
            ),
          );
          return;
        }
        if (fileTask) {
          stream.resume();
          fail(new DatasetError(DatasetErrorCode.TooManyFiles, 'Send one file per upload.'));
          return;
        }
        fileName = info.filename || 'upload';
        const format = this.formatOf(fileName, fields.format);
        if (!format) {
          stream.resume();
          fail(
            new DatasetError(
              DatasetErrorCode.UnsupportedFormat,
              `Cannot tell the format of "${fileName}": use a .csv, .tsv, .jsonl/.ndjson, .parquet or .xlsx name (text may be gzip-compressed: .csv.gz), or the "format" field.`,
            ),
          );
          return;
        }
        const inspector = new UploadInspector(format, isGzipName(fileName), {
          maxUncompressedBytes: this.options.maxUncompressedBytes,
        });
        let bytes = 0;
        const fileLimit =
          format === 'xlsx' ? Math.min(limit, this.options.maxWorkbookBytes) : limit;
        const tooLarge = this.tooLarge(fileLimit, format);
        const check = new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            bytes += chunk.length;
            if (bytes > fileLimit) return callback(tooLarge);
            inspector.write(chunk).then(
              () => callback(null, chunk),
              (error: unknown) => callback(error as Error),
            );
          },
          // A failed or interrupted upload frees the inflater's zlib memory at once (a
          // finished one still needs it: the inspector's finish comes after the pipeline's).
          destroy(error, callback) {
            if (error) inspector.abort();
            callback(error);
          },
        });
        const body = new PassThrough({ highWaterMark: 1024 * 1024 });
        const contentType = isGzipName(fileName) ? 'application/gzip' : CONTENT_TYPES[format];
        upload = this.storage.streamUpload(key, body, contentType);
        uploadDone = upload.done();
        uploadDone.catch(() => undefined);
        fileTask = pipeline(stream, check, body)
          .then(() => uploadDone)
          .then(() => inspector.finish());
        fileTask.catch(fail);
      });
      parser.on('error', (error) =>
        fail(
          new DatasetError(
            DatasetErrorCode.UploadInterrupted,
            `The multipart body is incomplete or malformed: ${error.message}.`,
          ),
        ),
      );
      parser.on('filesLimit', () =>
        fail(new DatasetError(DatasetErrorCode.TooManyFiles, 'Send one file per upload.')),
      );
      parser.on('fieldsLimit', () =>
        fail(new DatasetError(DatasetErrorCode.InvalidField, 'Too many form fields.')),
      );
      parser.on('partsLimit', () =>
        fail(new DatasetError(DatasetErrorCode.InvalidField, 'Too many form parts.')),
      );
      parser.on('close', () => {
        if (!fileTask) {
          fail(
            new DatasetError(DatasetErrorCode.MissingFile, 'The upload has no part named "file".'),
          );
          return;
        }
        fileTask.then((report) => {
          if (!settled) {
            settled = true;
            resolve(report);
          }
        }, fail);
      });
      req.pipe(parser);
    });

    const discard = async (): Promise<void> => {
      await upload?.abort().catch(() => undefined);
      await uploadDone?.catch(() => undefined);
      await this.storage
        .delete(key)
        .catch((error: unknown) =>
          this.logger.warn({ err: error, key }, 'could not delete a rejected upload'),
        );
    };
    try {
      const structure = await outcome;
      const name = fields.name?.trim();
      if (fields.name !== undefined && (!name || name.length > 200)) {
        throw new DatasetError(DatasetErrorCode.InvalidField, 'name must be 1 to 200 characters.', {
          errors: [{ field: 'name', message: 'name must be 1 to 200 characters' }],
        });
      }
      if (fields.description !== undefined && fields.description.length > 2000) {
        throw new DatasetError(
          DatasetErrorCode.InvalidField,
          'description must be at most 2000 characters.',
          {
            errors: [
              { field: 'description', message: 'description must be at most 2000 characters' },
            ],
          },
        );
      }
      return {
        datasetId,
        versionId,
        key,
        fileName,
        structure,
        fields: { name, description: fields.description },
        discard,
      };
    } catch (error) {
      await discard();
      throw error;
    }
  }

  private formatOf(fileName: string, explicit?: string): DatasetFormat | undefined {
    if (explicit !== undefined) return isDatasetFormat(explicit) ? explicit : undefined;
    return formatFromFileName(fileName);
  }

  private tooLarge(limit: number, format?: DatasetFormat): DatasetError {
    const why =
      format === 'xlsx'
        ? ' for Excel workbooks, which are read whole in memory; save larger tables as CSV or Parquet'
        : '';
    return new DatasetError(
      DatasetErrorCode.TooLarge,
      `The file is larger than the limit of ${limit} bytes${why}.`,
      {
        extensions: { limitBytes: limit },
        headers: { Connection: 'close' },
      },
    );
  }
}
