import type { StructureReport } from './engine/structure-validator';
import type { VersionSource } from './schemas/dataset-version.schema';

/** What the upload pass learned of a version's source file, as the processing steps take it. */
export function structureOfSource(source: VersionSource): StructureReport {
  return {
    format: source.format,
    encoding: source.encoding as StructureReport['encoding'],
    delimiter: source.delimiter,
    columns: source.header,
    lexicalTypes: source.lexicalTypes,
    missingMarkers: source.missingMarkers,
    utcOffsets: source.utcOffsets,
    bareBooleans: source.bareBooleans,
    dateOrders: source.dateOrders,
    decimalCommas: source.decimalCommas,
    longestRecordBytes: source.longestRecordBytes,
    byteCount: source.bytes,
    sha256: source.sha256,
    compression: source.compression,
    uncompressedBytes: source.uncompressedBytes,
  };
}
