import { AppError, type AppErrorOptions } from 'src/core/errors/app-error';
import type { ErrorKind } from 'src/core/errors/error-kind';

/** Stable codes of the datasets domain; the problem `type` slug is the code. */
export enum DatasetErrorCode {
  NotMultipart = 'dataset-not-multipart',
  MissingFile = 'dataset-missing-file',
  TooManyFiles = 'dataset-too-many-files',
  UnknownField = 'dataset-unknown-field',
  InvalidField = 'dataset-invalid-field',
  UnsupportedFormat = 'dataset-unsupported-format',
  UnsupportedEncoding = 'dataset-unsupported-encoding',
  EmptyFile = 'dataset-empty-file',
  HeaderOnly = 'dataset-header-only',
  BinaryContent = 'dataset-binary-content',
  MissingHeader = 'dataset-missing-header',
  EmptyColumnName = 'dataset-empty-column-name',
  DuplicateColumnName = 'dataset-duplicate-column-name',
  ReservedColumnName = 'dataset-reserved-column-name',
  RaggedRows = 'dataset-ragged-rows',
  UnterminatedQuote = 'dataset-unterminated-quote',
  RecordTooLong = 'dataset-record-too-long',
  InvalidJsonLine = 'dataset-invalid-json-line',
  InvalidParquet = 'dataset-invalid-parquet',
  InvalidWorkbook = 'dataset-invalid-workbook',
  InvalidCompression = 'dataset-invalid-compression',
  TooLarge = 'dataset-too-large',
  TooLargeForMemory = 'dataset-too-large-for-memory',
  UploadInterrupted = 'dataset-upload-interrupted',
  NotReady = 'dataset-not-ready',
  HasDependents = 'dataset-has-dependents',
  UnknownColumn = 'dataset-unknown-column',
  NoOriginalFile = 'dataset-no-original-file',
  StorageUnavailable = 'dataset-storage-unavailable',
}

const KINDS: Record<DatasetErrorCode, { kind: ErrorKind; title: string }> = {
  [DatasetErrorCode.NotMultipart]: { kind: 'invalid', title: 'Upload must be multipart/form-data' },
  [DatasetErrorCode.MissingFile]: { kind: 'invalid', title: 'No file in the upload' },
  [DatasetErrorCode.TooManyFiles]: { kind: 'invalid', title: 'Only one file per upload' },
  [DatasetErrorCode.UnknownField]: { kind: 'invalid', title: 'Unknown form field' },
  [DatasetErrorCode.InvalidField]: { kind: 'invalid', title: 'Invalid form field' },
  [DatasetErrorCode.UnsupportedFormat]: { kind: 'invalid', title: 'Unsupported file format' },
  [DatasetErrorCode.UnsupportedEncoding]: { kind: 'invalid', title: 'Unsupported text encoding' },
  [DatasetErrorCode.EmptyFile]: { kind: 'invalid', title: 'The file is empty' },
  [DatasetErrorCode.HeaderOnly]: { kind: 'invalid', title: 'The file has a header but no rows' },
  [DatasetErrorCode.BinaryContent]: { kind: 'invalid', title: 'The file is binary, not text' },
  [DatasetErrorCode.MissingHeader]: { kind: 'invalid', title: 'The first line is not a header' },
  [DatasetErrorCode.EmptyColumnName]: { kind: 'invalid', title: 'A column has no name' },
  [DatasetErrorCode.DuplicateColumnName]: { kind: 'invalid', title: 'Column names are not unique' },
  [DatasetErrorCode.ReservedColumnName]: { kind: 'invalid', title: 'A column name is reserved' },
  [DatasetErrorCode.RaggedRows]: { kind: 'invalid', title: 'Rows have the wrong number of fields' },
  [DatasetErrorCode.UnterminatedQuote]: {
    kind: 'invalid',
    title: 'A quoted field is never closed',
  },
  [DatasetErrorCode.RecordTooLong]: { kind: 'invalid', title: 'A record is too long' },
  [DatasetErrorCode.InvalidJsonLine]: { kind: 'invalid', title: 'A line is not a JSON object' },
  [DatasetErrorCode.InvalidParquet]: {
    kind: 'invalid',
    title: 'The file is not a valid Parquet file',
  },
  [DatasetErrorCode.InvalidWorkbook]: {
    kind: 'invalid',
    title: 'The file is not a readable Excel workbook',
  },
  [DatasetErrorCode.InvalidCompression]: {
    kind: 'invalid',
    title: 'The file is not valid gzip-compressed text',
  },
  [DatasetErrorCode.TooLarge]: { kind: 'too-large', title: 'The file is too large' },
  [DatasetErrorCode.TooLargeForMemory]: {
    kind: 'too-large',
    title: 'The table needs more memory than processing may use',
  },
  [DatasetErrorCode.UploadInterrupted]: { kind: 'invalid', title: 'The upload was interrupted' },
  [DatasetErrorCode.NotReady]: { kind: 'conflict', title: 'The dataset is not ready' },
  [DatasetErrorCode.HasDependents]: {
    kind: 'conflict',
    title: 'Other resources depend on this dataset',
  },
  [DatasetErrorCode.UnknownColumn]: { kind: 'invalid', title: 'Unknown column' },
  [DatasetErrorCode.NoOriginalFile]: {
    kind: 'conflict',
    title: 'The version was not uploaded as a file',
  },
  [DatasetErrorCode.StorageUnavailable]: {
    kind: 'unavailable',
    title: 'Dataset storage is unavailable',
  },
};

/** A datasets-domain error: a code from the enum, a detail saying what and where. */
export class DatasetError extends AppError {
  constructor(
    readonly datasetCode: DatasetErrorCode,
    detail: string,
    options: AppErrorOptions = {},
  ) {
    super(KINDS[datasetCode].kind, datasetCode, KINDS[datasetCode].title, detail, options);
  }
}
