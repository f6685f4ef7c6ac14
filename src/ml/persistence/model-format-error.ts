export enum ModelFormatErrorCode {
  NotAModel = 'NOT_A_MODEL',
  UnsupportedVersion = 'UNSUPPORTED_VERSION',
  Truncated = 'TRUNCATED',
  ChecksumMismatch = 'CHECKSUM_MISMATCH',
  Malformed = 'MALFORMED',
  UnknownModelKind = 'UNKNOWN_MODEL_KIND',
}

/** A serialised model that cannot be loaded; `code` says why. */
export class ModelFormatError extends Error {
  constructor(
    readonly code: ModelFormatErrorCode,
    detail: string,
  ) {
    super(`cannot load model (${code}): ${detail}`);
    this.name = 'ModelFormatError';
  }
}
