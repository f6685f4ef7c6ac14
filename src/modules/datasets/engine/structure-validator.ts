import { isUtf8 } from 'node:buffer';
import { createHash, type Hash } from 'node:crypto';
import { DatasetError, DatasetErrorCode } from '../datasets.errors';
import type { DatasetFormat, TextEncoding } from './formats';
import type { StorageType } from './typed-copy';
import {
  LEX_ALL,
  LEX_BLANK,
  LEX_MARKER,
  LEX_MISSING,
  hasDecimalCommas,
  calendarDateOrder,
  type DateOrder,
  hasBareBooleans,
  hasUtcOffsets,
  type LexicalDfa,
  lexicalDfa,
  lexicalType,
} from './lexical-types';

/** What one streaming pass learned about a file's structure. */
export interface StructureReport {
  format: DatasetFormat;
  /** Text formats only. */
  encoding?: TextEncoding;
  /** Delimited text only: the sniffed (or format-implied) field delimiter. */
  delimiter?: string;
  /** Column names in file order (Parquet: learned later, empty here). */
  columns: string[];
  /**
   * Delimited text only: per column, the narrowest type that every present value matched
   * (missing markers aside), from the same pass — see lexical-types.ts.
   */
  lexicalTypes?: StorageType[];
  /**
   * Delimited text only: per column, whether its datetimes carry UTC offsets (Z, ±hh:mm), which
   * reading must apply; absent (all false) on versions typed before offsets were recognised.
   */
  utcOffsets?: boolean[];
  /**
   * Delimited text only: per column, whether its booleans are all bare words (no spaces around),
   * which DuckDB's typed reader parses itself; absent (all false) on versions typed before.
   */
  bareBooleans?: boolean[];
  /**
   * Delimited text only: per column typed DATE from calendar dates (31/12/2024, 12/31/2024),
   * which order they are written in; null for every other column. Absent on versions typed
   * before such dates were recognised (they were text then).
   */
  dateOrders?: (DateOrder | null)[];
  /**
   * Delimited text only: per column, whether it holds decimal-comma numbers (1,5), typed DOUBLE
   * and read with the comma as decimal point; only in semicolon-delimited files.
   */
  decimalCommas?: boolean[];
  /**
   * Delimited text only: whether any field was a missing marker other than the empty field
   * (NA, NULL, …). When none was, DuckDB need not compare every field with the markers.
   */
  missingMarkers?: boolean;
  /**
   * Delimited text only: bytes of the longest record (header included), which DuckDB's CSV
   * reader must be told when it exceeds its default line limit.
   */
  longestRecordBytes?: number;
  /** Data rows (without header and blank lines); undefined for Parquet. */
  rowCount?: number;
  /** Bytes of the file as uploaded and stored (compressed, when it came compressed). */
  byteCount: number;
  /** SHA-256 of the file as uploaded and stored, hex. */
  sha256: string;
  /** Text that came gzip-compressed (upload-inspector.ts): read through an inflated copy. */
  compression?: 'gzip';
  /** The text's size once inflated, when it came compressed. */
  uncompressedBytes?: number;
}

export interface BadLine {
  line: number;
  expected?: number;
  found?: number;
  message?: string;
}

/**
 * The longest record (line, or quoted lines) a text file may hold: DuckDB's readers hold a whole
 * record in one buffer, sized from this, and the JSON Lines check holds one line.
 */
export const MAX_RECORD_BYTES = 32 * 1024 * 1024;
const SNIFF_BYTES = 64 * 1024;
const MAX_HEADER_BYTES = 1024 * 1024;
const MAX_BAD_LINES = 5;
const DELIMITER_CANDIDATES = [',', '\t', ';', '|'];
const LF = 0x0a;
const QUOTE = 0x22;
const SEMICOLON = 0x3b;
const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Validates a dataset file's structure in one streaming pass, chunk by chunk, without holding
 * the file: encoding (UTF-8 with or without BOM, else Latin-1), binary content, delimiter
 * (sniffed on the first 64 KiB), quoting, header (present, names non-empty and unique
 * case-insensitively, as DuckDB needs), field counts per record (the first bad lines are
 * reported) and, for JSON Lines, that each line is an object. Throws a DatasetError at the
 * first fatal problem; `finish()` adds the checks that need the end of the file.
 */
export class StructureValidator {
  /** Absent when the caller hashes the bytes as stored itself (the upload inspector does). */
  private readonly hash?: Hash;
  private byteCount = 0;
  private head: Buffer[] = [];
  private headBytes = 0;
  private started = false;
  private encoding: TextEncoding = 'utf-8';
  private utf8Carry: Buffer = Buffer.alloc(0);
  private utf8Valid = true;
  private columns: string[] = [];
  // Delimited text state.
  private delimiter = 0x2c;
  private inQuotes = false;
  private pendingQuote = false;
  private quotedInRecord = false;
  private fields = 0;
  private line = 1;
  private recordStartLine = 1;
  private recordStartByte = 0;
  private longestRecordBytes = 0;
  private records = 0;
  private readonly badLines: BadLine[] = [];
  private badLineCount = 0;
  // Lexical typing of fields: the DFA state of the current field and per column the mask of
  // patterns every value matched so far. `scanClasses` is the DFA's byte classes with the
  // delimiter, the newline and the quote moved to classes of their own (≥ `structuralClass`).
  private dfa?: LexicalDfa;
  private lexState = 0;
  private scanClasses = new Uint16Array(0);
  private structuralClass = 256;
  private columnMasks = new Uint16Array(0);
  private columnPresent = new Float64Array(0);
  private markersSeen = false;
  // JSON Lines state.
  /** The JSON line under way: its parts so far (a long line is joined once, at its end). */
  private jsonPending: Buffer[] = [];
  private jsonPendingBytes = 0;
  private readonly jsonKeys = new Map<string, true>();
  // Binary formats' state.
  private binaryHead: Buffer = Buffer.alloc(0);
  private binaryTail: Buffer = Buffer.alloc(0);

  constructor(
    readonly format: DatasetFormat,
    options: { hashBytes?: boolean } = {},
  ) {
    if (options.hashBytes !== false) this.hash = createHash('sha256');
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.hash?.update(chunk);
    this.byteCount += chunk.length;
    if (this.format === 'parquet' || this.format === 'xlsx') return this.pushBinary(chunk);
    if (!this.started) {
      this.head.push(chunk);
      this.headBytes += chunk.length;
      const haveLine = this.head.some((part) => part.includes(LF));
      if (this.headBytes < SNIFF_BYTES || (!haveLine && this.headBytes < MAX_HEADER_BYTES)) return;
      this.start(false);
      return;
    }
    this.pushText(chunk);
  }

  finish(): StructureReport {
    if (this.format === 'parquet') return this.finishParquet();
    if (this.format === 'xlsx') return this.finishWorkbook();
    if (!this.started) this.start(true);
    if (!this.utf8Valid || this.utf8Carry.length > 0) this.switchToLatin1();
    if (this.format === 'jsonl') return this.finishJson();
    return this.finishDelimited();
  }

  private report(extra: Partial<StructureReport>): StructureReport {
    return {
      format: this.format,
      columns: this.columns,
      byteCount: this.byteCount,
      sha256: this.hash?.digest('hex') ?? '',
      ...extra,
    };
  }

  // ---------------------------------------------------------------- text

  /** Decides encoding, checks for binary content, sniffs the delimiter and reads the header. */
  private start(atEnd: boolean): void {
    this.started = true;
    let head = Buffer.concat(this.head);
    this.head = [];
    if (
      head.length >= 2 &&
      ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))
    ) {
      throw new DatasetError(
        DatasetErrorCode.UnsupportedEncoding,
        'The file starts with a UTF-16 byte-order mark; save it as UTF-8 (with or without BOM) or Latin-1.',
      );
    }
    if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
      this.encoding = 'utf-8-bom';
      head = head.subarray(3);
    }
    if (head.toString('latin1').trim().length === 0) {
      if (atEnd) throw new DatasetError(DatasetErrorCode.EmptyFile, 'The file has no content.');
    }
    this.checkBinary(head, 0);
    if (this.format === 'jsonl') {
      this.pushText(head);
      return;
    }
    this.sniff(head, atEnd);
    this.pushText(head);
  }

  private checkBinary(chunk: Buffer, offset: number): void {
    const nul = chunk.indexOf(0);
    if (nul >= 0) {
      throw new DatasetError(
        DatasetErrorCode.BinaryContent,
        `The file contains a NUL byte at offset ${offset + nul}: it is binary (or UTF-16), not a text table.`,
      );
    }
  }

  private pushText(chunk: Buffer): void {
    this.checkBinary(chunk, this.byteCount - chunk.length);
    if (this.utf8Valid) this.checkUtf8(chunk);
    if (this.format === 'jsonl') this.scanJson(chunk);
    else this.scanDelimited(chunk);
  }

  private checkUtf8(chunk: Buffer): void {
    const data = this.utf8Carry.length > 0 ? Buffer.concat([this.utf8Carry, chunk]) : chunk;
    // Keep an incomplete trailing sequence for the next chunk.
    let i = data.length - 1;
    let continuation = 0;
    while (i >= 0 && continuation < 3 && (data[i] & 0xc0) === 0x80) {
      i -= 1;
      continuation += 1;
    }
    let cut = data.length;
    if (i >= 0) {
      const lead = data[i];
      const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
      if (need > data.length - i) cut = i;
    }
    if (!isUtf8(data.subarray(0, cut))) {
      this.switchToLatin1();
      return;
    }
    this.utf8Carry = Buffer.from(data.subarray(cut));
  }

  private switchToLatin1(): void {
    this.utf8Valid = false;
    this.utf8Carry = Buffer.alloc(0);
    if (this.format === 'jsonl') {
      throw new DatasetError(
        DatasetErrorCode.UnsupportedEncoding,
        'JSON Lines files must be UTF-8; this file is not.',
      );
    }
    if (this.encoding === 'utf-8-bom') {
      throw new DatasetError(
        DatasetErrorCode.UnsupportedEncoding,
        'The file starts with a UTF-8 byte-order mark but contains bytes that are not UTF-8.',
      );
    }
    this.encoding = 'latin-1';
  }

  // ----------------------------------------------------------- delimited

  private sniff(head: Buffer, atEnd: boolean): void {
    const bytes = head.subarray(0, Math.min(head.length, MAX_HEADER_BYTES));
    const lastLf = bytes.lastIndexOf(LF);
    if (lastLf < 0 && !atEnd) {
      throw new DatasetError(
        DatasetErrorCode.MissingHeader,
        'The first line is longer than 1 MiB; it cannot be a header.',
      );
    }
    // Only complete lines take part in sniffing unless the file ends here.
    const sampleBytes = atEnd || lastLf < 0 ? bytes : bytes.subarray(0, lastLf);
    const sample = isUtf8(sampleBytes)
      ? sampleBytes.toString('utf8')
      : sampleBytes.toString('latin1');
    let delimiter = ',';
    if (this.format === 'tsv') delimiter = '\t';
    else delimiter = sniffDelimiter(sample);
    this.delimiter = delimiter.charCodeAt(0);
    const header = parseFirstRecord(sample, delimiter);
    this.checkHeader(header);
    this.columns = header;
    const dfa = lexicalDfa();
    this.dfa = dfa;
    this.lexState = dfa.start;
    this.structuralClass = 1 << dfa.shift;
    this.scanClasses = Uint16Array.from(dfa.classOf);
    for (const b of [this.delimiter, LF, QUOTE]) this.scanClasses[b] = this.structuralClass;
    this.columnMasks = new Uint16Array(header.length).fill(LEX_ALL);
    this.columnPresent = new Float64Array(header.length);
  }

  private checkHeader(header: string[]): void {
    const empty = header.findIndex((name) => name.trim() === '');
    if (header.length === 1 && header[0].trim() === '') {
      throw new DatasetError(
        DatasetErrorCode.MissingHeader,
        'Line 1 is empty; the first line must name the columns.',
      );
    }
    if (empty >= 0) {
      throw new DatasetError(
        DatasetErrorCode.EmptyColumnName,
        `Column ${empty + 1} of the header (line 1) has an empty name; every column needs a name.`,
        { extensions: { column: empty + 1 } },
      );
    }
    if (header.every((name) => NUMERIC.test(name.trim()))) {
      throw new DatasetError(
        DatasetErrorCode.MissingHeader,
        `Line 1 holds only numbers (${header.slice(0, 3).join(', ')}…); the first line must name the columns.`,
      );
    }
    const reserved = header.find(isReservedColumnName);
    if (reserved !== undefined) throw reservedColumnError(reserved);
    const seen = new Map<string, string>();
    const duplicates: string[] = [];
    for (const name of header) {
      const key = name.trim().toLowerCase();
      if (seen.has(key)) duplicates.push(name);
      else seen.set(key, name);
    }
    if (duplicates.length > 0) {
      throw new DatasetError(
        DatasetErrorCode.DuplicateColumnName,
        `The header (line 1) repeats column names (compared without case): ${[...new Set(duplicates)].join(', ')}.`,
        { extensions: { duplicates: [...new Set(duplicates)] } },
      );
    }
  }

  /**
   * Counts fields per record with a quote-aware state machine over raw bytes, and feeds each
   * field's content (quotes removed) to the lexical DFA: at the field's end, its column's mask
   * keeps only the patterns this value matched too. The DFA also says whether a field is still
   * blank (a quote there opens a quoted field; a blank line is no record).
   */
  private scanDelimited(chunk: Buffer): void {
    const { next, shift, accepts, start, classOf: dfaClass } = this.dfa!;
    const classOf = this.scanClasses;
    const structural = this.structuralClass;
    const quoteClass = dfaClass[QUOTE];
    const masks = this.columnMasks;
    const present = this.columnPresent;
    const width = masks.length;
    let { inQuotes, pendingQuote, quotedInRecord, fields, line, lexState, markersSeen } = this;
    let inHeader = this.records === 0;
    const end = chunk.length;
    const chunkStart = this.byteCount - end;
    for (let i = 0; i < end; i += 1) {
      const b = chunk[i];
      if (inQuotes) {
        if (pendingQuote) {
          pendingQuote = false;
          if (b === QUOTE) {
            // "" inside quotes is an escaped quote
            lexState = next[(lexState << shift) | quoteClass];
            continue;
          }
          inQuotes = false; // the quote closed the field; handle b as unquoted
        } else {
          if (b === QUOTE) pendingQuote = true;
          else {
            if (b === LF) line += 1;
            lexState = next[(lexState << shift) | dfaClass[b]];
          }
          continue;
        }
      }
      // Unquoted content, the bulk of the bytes: a tight loop to the next structural byte.
      let c = classOf[b];
      if (c < structural) {
        lexState = next[(lexState << shift) | c];
        while (i + 1 < end && (c = classOf[chunk[i + 1]]) < structural) {
          lexState = next[(lexState << shift) | c];
          i += 1;
        }
        continue;
      }
      if (b === QUOTE) {
        if ((accepts[lexState] & LEX_BLANK) !== 0) {
          inQuotes = true;
          quotedInRecord = true;
        } else lexState = next[(lexState << shift) | quoteClass];
        continue;
      }
      // The delimiter or a newline ends a field; a newline ends a record unless it is blank.
      const mask = accepts[lexState];
      const isNewline = b === LF;
      const blankRecord = isNewline && fields === 0 && !quotedInRecord && (mask & LEX_BLANK) !== 0;
      if (!inHeader && !blankRecord && fields < width) {
        if ((mask & LEX_MISSING) === 0) {
          masks[fields] &= mask;
          present[fields] += 1;
        } else if ((mask & LEX_MARKER) !== 0) markersSeen = true;
      }
      lexState = start;
      if (!isNewline) {
        fields += 1;
        continue;
      }
      if (!blankRecord) {
        this.line = line;
        this.endRecord(fields + 1);
        this.measureRecord(chunkStart + i + 1 - this.recordStartByte);
        inHeader = false;
      }
      this.recordStartByte = chunkStart + i + 1;
      line += 1;
      this.recordStartLine = line;
      fields = 0;
      quotedInRecord = false;
    }
    Object.assign(this, {
      inQuotes,
      pendingQuote,
      quotedInRecord,
      fields,
      line,
      lexState,
      markersSeen,
    });
    // A record still open must not grow past the limit either (nor wait for the file's end).
    if (this.byteCount - this.recordStartByte > MAX_RECORD_BYTES)
      this.measureRecord(this.byteCount - this.recordStartByte);
  }

  /** Keeps the longest record's size; refuses one over MAX_RECORD_BYTES. */
  private measureRecord(bytes: number): void {
    if (bytes > this.longestRecordBytes) this.longestRecordBytes = bytes;
    if (bytes <= MAX_RECORD_BYTES) return;
    throw new DatasetError(
      DatasetErrorCode.RecordTooLong,
      `The record starting on line ${this.recordStartLine} is longer than ${MAX_RECORD_BYTES / 1024 / 1024} MiB (${bytes} bytes so far); store values that long outside the table, or check the quoting.`,
      { extensions: { line: this.recordStartLine, maxRecordBytes: MAX_RECORD_BYTES } },
    );
  }

  /** Whether the record under way (at the end of the file) holds anything. */
  private get recordHasContent(): boolean {
    return (
      this.fields > 0 || this.quotedInRecord || (this.dfa!.accepts[this.lexState] & LEX_BLANK) === 0
    );
  }

  /** The last field of a file that does not end with a newline. */
  private endLastField(): void {
    if (this.records === 0 || this.fields >= this.columnMasks.length) return;
    const mask = this.dfa!.accepts[this.lexState];
    if ((mask & LEX_MARKER) !== 0) this.markersSeen = true;
    if ((mask & LEX_MISSING) !== 0) return;
    this.columnMasks[this.fields] &= mask;
    this.columnPresent[this.fields] += 1;
  }

  private endRecord(found: number): void {
    this.records += 1;
    if (this.records === 1) return; // the header, checked when sniffing
    const expected = this.columns.length;
    if (found !== expected) {
      this.badLineCount += 1;
      if (this.badLines.length < MAX_BAD_LINES)
        this.badLines.push({ line: this.recordStartLine, expected, found });
    }
  }

  private finishDelimited(): StructureReport {
    if (this.inQuotes && !this.pendingQuote) {
      throw new DatasetError(
        DatasetErrorCode.UnterminatedQuote,
        `The quoted field starting on line ${this.recordStartLine} is never closed.`,
        { extensions: { line: this.recordStartLine } },
      );
    }
    if (this.recordHasContent) {
      this.endLastField();
      this.endRecord(this.fields + 1);
      this.measureRecord(this.byteCount - this.recordStartByte);
    }
    if (this.records === 0)
      throw new DatasetError(DatasetErrorCode.EmptyFile, 'The file has no content.');
    if (this.badLineCount > 0) {
      const examples = this.badLines
        .map((bad) => `line ${bad.line} has ${bad.found} fields`)
        .join(', ');
      throw new DatasetError(
        DatasetErrorCode.RaggedRows,
        `${this.badLineCount} row(s) do not have the header's ${this.columns.length} fields: ${examples}.`,
        { extensions: { badLines: this.badLines, badLineCount: this.badLineCount } },
      );
    }
    if (this.records === 1) {
      throw new DatasetError(
        DatasetErrorCode.HeaderOnly,
        'The file has a header line but no data rows.',
      );
    }
    // Semicolon-delimited files are where the comma is the decimal point (European exports);
    // elsewhere 1,234 may well be a thousands separator, and stays text.
    const decimalCommas = this.columns.map(
      (_, k) =>
        this.delimiter === SEMICOLON &&
        this.columnPresent[k] > 0 &&
        hasDecimalCommas(this.columnMasks[k]),
    );
    return this.report({
      encoding: this.encoding,
      delimiter: String.fromCharCode(this.delimiter),
      lexicalTypes: this.columns.map((_, k) =>
        decimalCommas[k] ? 'DOUBLE' : lexicalType(this.columnMasks[k], this.columnPresent[k]),
      ),
      utcOffsets: this.columns.map((_, k) => hasUtcOffsets(this.columnMasks[k])),
      bareBooleans: this.columns.map((_, k) => hasBareBooleans(this.columnMasks[k])),
      dateOrders: this.columns.map((_, k) =>
        this.columnPresent[k] > 0 ? (calendarDateOrder(this.columnMasks[k]) ?? null) : null,
      ),
      decimalCommas,
      missingMarkers: this.markersSeen,
      longestRecordBytes: this.longestRecordBytes,
      rowCount: this.records - 1,
    });
  }

  // ---------------------------------------------------------- JSON Lines

  private scanJson(chunk: Buffer): void {
    let start = 0;
    let lf = chunk.indexOf(LF, start);
    while (lf >= 0) {
      const part = chunk.subarray(start, lf);
      if (this.jsonPending.length === 0) this.jsonLine(part);
      else {
        this.jsonPending.push(part);
        this.jsonLine(Buffer.concat(this.jsonPending));
        this.jsonPending = [];
        this.jsonPendingBytes = 0;
      }
      start = lf + 1;
      lf = chunk.indexOf(LF, start);
    }
    if (start === chunk.length) return;
    this.jsonPending.push(Buffer.from(chunk.subarray(start)));
    this.jsonPendingBytes += chunk.length - start;
    if (this.jsonPendingBytes > MAX_RECORD_BYTES) {
      this.recordStartLine = this.line;
      this.measureRecord(this.jsonPendingBytes);
    }
  }

  private jsonLine(bytes: Buffer): void {
    const lineNumber = this.line;
    this.recordStartLine = lineNumber;
    this.measureRecord(bytes.length);
    this.line += 1;
    const text = bytes.toString('utf8').trim();
    if (text === '') return;
    let value: unknown;
    let message: string | undefined;
    try {
      value = JSON.parse(text);
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        message = 'not a JSON object';
    } catch {
      message = 'not valid JSON';
    }
    if (message) {
      this.badLineCount += 1;
      if (this.badLines.length < MAX_BAD_LINES) this.badLines.push({ line: lineNumber, message });
      return;
    }
    this.records += 1;
    if (this.jsonKeys.size < 10_000)
      for (const key of Object.keys(value as object)) this.jsonKeys.set(key, true);
  }

  private finishJson(): StructureReport {
    if (this.jsonPending.length > 0) this.jsonLine(Buffer.concat(this.jsonPending));
    if (this.badLineCount > 0) {
      const examples = this.badLines.map((bad) => `line ${bad.line} is ${bad.message}`).join(', ');
      throw new DatasetError(
        DatasetErrorCode.InvalidJsonLine,
        `${this.badLineCount} line(s) are not JSON objects: ${examples}.`,
        { extensions: { badLines: this.badLines, badLineCount: this.badLineCount } },
      );
    }
    if (this.records === 0)
      throw new DatasetError(DatasetErrorCode.EmptyFile, 'The file has no JSON objects.');
    this.columns = [...this.jsonKeys.keys()];
    if (this.columns.length === 0)
      throw new DatasetError(DatasetErrorCode.EmptyFile, 'The JSON objects have no fields.');
    this.checkHeader(this.columns);
    return this.report({ encoding: this.encoding, rowCount: this.records });
  }

  // ------------------------------------------------- Parquet and Excel (binary)

  /** Binary formats: only the first and last four bytes matter here. */
  private pushBinary(chunk: Buffer): void {
    if (this.binaryHead.length < 4)
      this.binaryHead = Buffer.concat([this.binaryHead, chunk.subarray(0, 4)]).subarray(0, 4);
    const tail = Buffer.concat([this.binaryTail, chunk.subarray(Math.max(0, chunk.length - 4))]);
    this.binaryTail = Buffer.from(tail.subarray(Math.max(0, tail.length - 4)));
  }

  private finishParquet(): StructureReport {
    if (this.byteCount === 0)
      throw new DatasetError(DatasetErrorCode.EmptyFile, 'The file has no content.');
    const magic = 'PAR1';
    if (
      this.byteCount < 12 ||
      this.binaryHead.toString('latin1') !== magic ||
      this.binaryTail.toString('latin1') !== magic
    ) {
      throw new DatasetError(
        DatasetErrorCode.InvalidParquet,
        'The file does not start and end with the Parquet magic bytes "PAR1"; it is not a Parquet file or was cut short.',
      );
    }
    return this.report({});
  }

  /**
   * An Excel workbook is a zip archive: it must start with a zip entry's signature. Its sheet is
   * read by the worker (the whole archive is needed), which reports what it finds wrong there.
   */
  private finishWorkbook(): StructureReport {
    if (this.byteCount === 0)
      throw new DatasetError(DatasetErrorCode.EmptyFile, 'The file has no content.');
    if (this.byteCount < 22 || this.binaryHead.toString('latin1') !== 'PK\x03\x04') {
      throw new DatasetError(
        DatasetErrorCode.InvalidWorkbook,
        'The file does not start like a zip archive ("PK\\x03\\x04"); an .xlsx workbook is one, so this is not an Excel workbook or was cut short.',
      );
    }
    return this.report({});
  }
}

/** DuckDB's virtual row-number column, which reads of the typed copy use. */
export const isReservedColumnName = (name: string): boolean =>
  name.toLowerCase() === 'file_row_number';

export function reservedColumnError(name: string): DatasetError {
  return new DatasetError(
    DatasetErrorCode.ReservedColumnName,
    `The column name "${name}" is reserved (the row numbers of the stored copy go by it); rename the column.`,
    { extensions: { column: name } },
  );
}

/** Splits records of a text sample with a quote-aware parser (for sniffing and the header). */
function parseRecords(text: string, delimiter: string, maxRecords: number): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let inQuotes = false;
  let i = 0;
  while (i < text.length && records.length < maxRecords) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 1;
        } else inQuotes = false;
      } else field += c;
    } else if (c === '"' && field.trim() === '') {
      inQuotes = true;
      field = '';
    } else if (c === delimiter) {
      record.push(field);
      field = '';
    } else if (c === '\n') {
      record.push(field.replace(/\r$/, ''));
      if (record.length > 1 || record[0].trim() !== '') records.push(record);
      record = [];
      field = '';
    } else field += c;
    i += 1;
  }
  if (records.length < maxRecords && (field !== '' || record.length > 0)) {
    record.push(field.replace(/\r$/, ''));
    records.push(record);
  }
  return records;
}

function parseFirstRecord(text: string, delimiter: string): string[] {
  return parseRecords(text, delimiter, 1)[0] ?? [''];
}

/**
 * Picks the delimiter whose field count is the same on the most sampled records (and > 1),
 * preferring more fields on ties — the idea of Python's csv.Sniffer, simplified.
 */
export function sniffDelimiter(sample: string): string {
  let best = { delimiter: ',', consistency: 0, fields: 1 };
  for (const delimiter of DELIMITER_CANDIDATES) {
    if (!sample.includes(delimiter)) continue;
    const counts = parseRecords(sample, delimiter, 50).map((r) => r.length);
    if (counts.length === 0) continue;
    const header = counts[0];
    if (header < 2) continue;
    const consistency = counts.filter((n) => n === header).length / counts.length;
    if (
      consistency > best.consistency ||
      (consistency === best.consistency && header > best.fields)
    ) {
      best = { delimiter, consistency, fields: header };
    }
  }
  return best.delimiter;
}
