import { DatasetError } from '../datasets.errors';
import { MAX_RECORD_BYTES, sniffDelimiter, StructureValidator } from './structure-validator';
import type { DatasetFormat } from './formats';

function validate(content: string | Buffer, format: DatasetFormat = 'csv', chunk = 7) {
  const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content);
  const validator = new StructureValidator(format);
  for (let i = 0; i < bytes.length; i += chunk) validator.push(bytes.subarray(i, i + chunk));
  return validator.finish();
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof DatasetError ? error.code : String(error);
  }
  return undefined;
}

describe('StructureValidator', () => {
  it('should count rows across chunk boundaries, with quoted delimiters, escaped quotes and newlines', () => {
    const csv = 'a,b,c\r\n1,"x, ""y""\nz",3\r\n\r\n4,5,6';
    for (const chunk of [1, 2, 3, 5, 1000]) {
      expect(validate(csv, 'csv', chunk)).toMatchObject({
        columns: ['a', 'b', 'c'],
        rowCount: 2,
        delimiter: ',',
        encoding: 'utf-8',
      });
    }
  });

  it('should measure the longest record, quoted newlines included', () => {
    const csv = 'a,b\n1,"x\ny"\n22,zzzz\n333,w';
    for (const chunk of [1, 3, 1000])
      expect(validate(csv, 'csv', chunk).longestRecordBytes).toBe('1,"x\ny"\n'.length);
    // A JSON line spread over many chunks is joined once and read whole.
    const line = JSON.stringify({ a: 'x'.repeat(1000), b: 1 });
    expect(validate(`${line}\n${line}\n`, 'jsonl', 7)).toMatchObject({ rowCount: 2 });
  });

  it('should refuse a record over the limit as soon as it passes it', () => {
    const long = 'x'.repeat(MAX_RECORD_BYTES);
    const big = 1 << 20;
    expect(codeOf(() => validate(`a,b\n1,${long}\n2,y\n`, 'csv', big))).toBe(
      'dataset-record-too-long',
    );
    expect(codeOf(() => validate(`{"a":"${long}"}\n`, 'jsonl', big))).toBe(
      'dataset-record-too-long',
    );
    // Without waiting for the record (or the file) to end.
    for (const format of ['csv', 'jsonl'] as const) {
      const validator = new StructureValidator(format);
      validator.push(Buffer.from(format === 'csv' ? 'a,b\n1,' : '{"a":"'));
      const pushAll = (): void => {
        for (let sent = 0; sent <= MAX_RECORD_BYTES; sent += big)
          validator.push(Buffer.from(long.slice(0, big)));
      };
      expect(codeOf(pushAll)).toBe('dataset-record-too-long');
    }
  });

  it('should read decimal commas as floats in semicolon-delimited files only', () => {
    const semicolons = 'price;n;mixed;label\n1,5;1;2,5;a\n-12,75;2;3.5;b\n3;3;;c\n';
    expect(validate(semicolons)).toMatchObject({
      delimiter: ';',
      lexicalTypes: ['DOUBLE', 'BIGINT', 'VARCHAR', 'VARCHAR'],
      decimalCommas: [true, false, false, false],
    });
    // Elsewhere 1,234 may be a thousands separator: it stays text.
    for (const other of ['price,n\n"1,5",1\n"2,25",2\n', 'price\tn\n1,234\t1\n2,25\t2\n'])
      expect(validate(other)).toMatchObject({
        lexicalTypes: ['VARCHAR', 'BIGINT'],
        decimalCommas: [false, false],
      });
  });

  it('should say which datetime columns carry UTC offsets', () => {
    const csv =
      'z,plain,d\n2023-01-05T10:00:00Z,2023-01-05 10:00,2023-01-05\n2023-01-05,,2023-01-06\n';
    expect(validate(csv)).toMatchObject({
      lexicalTypes: ['TIMESTAMP', 'TIMESTAMP', 'DATE'],
      utcOffsets: [true, false, false],
    });
  });

  it('should say which boolean columns hold only bare words', () => {
    const csv = 'bare,padded,crlf\r\nYes,no ,TRUE\r\nfalse,true,no\r\n';
    for (const chunk of [1, 4, 1000])
      expect(validate(csv, 'csv', chunk)).toMatchObject({
        lexicalTypes: ['BOOLEAN', 'BOOLEAN', 'BOOLEAN'],
        bareBooleans: [true, false, true],
      });
  });

  it('should type every field in the same pass, whatever the chunks', () => {
    // Quoted numbers count as numbers, missing markers are skipped, blank lines are no rows,
    // an unquoted field holding a quote is text, a column with no value stays text.
    const csv =
      'i,f,b,d,t,txt,none,last\r\n' +
      ' 1 ,"2.5",YES,2020-01-01,2020-01-01,ab"c,NA,"7"\r\n' +
      '\r\n' +
      '"-2",NaN,no,NA,2020-01-02T10:00,x,,8\r\n' +
      '3,4,true,2020-01-03,,"1",null,NA';
    for (const chunk of [1, 2, 3, 5, 1000]) {
      expect(validate(csv, 'csv', chunk)).toMatchObject({
        rowCount: 3,
        lexicalTypes: [
          'BIGINT',
          'DOUBLE',
          'BOOLEAN',
          'DATE',
          'TIMESTAMP',
          'VARCHAR',
          'VARCHAR',
          'BIGINT',
        ],
      });
    }
    expect(validate(csv).missingMarkers).toBe(true);
    expect(validate('a,b\n1,\n,NAN\n').missingMarkers).toBe(false); // only empty fields missing
    expect(validate('a\tb\n1\t2020-01-01 10:00\n', 'tsv').lexicalTypes).toEqual([
      'BIGINT',
      'TIMESTAMP',
    ]);
  });

  it('should keep UTF-8 whose multi-byte characters straddle chunks, and fall back to Latin-1', () => {
    expect(validate('név,ár\nÁrvíztűrő,1\n', 'csv', 1).encoding).toBe('utf-8');
    expect(validate(Buffer.from('név,ár\nÁrvíz,1\n', 'latin1'), 'csv', 3)).toMatchObject({
      encoding: 'latin-1',
      columns: ['név', 'ár'],
    });
    expect(validate('\ufeffa,b\n1,2\n').encoding).toBe('utf-8-bom');
  });

  it('should sniff semicolons, tabs and pipes, ignoring delimiters inside quotes', () => {
    expect(sniffDelimiter('a;b;c\n1;2;3\n')).toBe(';');
    expect(sniffDelimiter('a\tb\n"1,5"\t2\n')).toBe('\t');
    expect(sniffDelimiter('a|b\n1|2\n')).toBe('|');
    expect(sniffDelimiter('"x,y";b\n"1,2";3\n')).toBe(';');
    expect(validate('only\n1\n2\n')).toMatchObject({ columns: ['only'], rowCount: 2 });
  });

  it.each([
    ['', 'dataset-empty-file'],
    ['a,b\n', 'dataset-header-only'],
    ['a,b\n1\n', 'dataset-ragged-rows'],
    ['a,b\n"1,2\n', 'dataset-unterminated-quote'],
    ['a,A\n1,2\n', 'dataset-duplicate-column-name'],
    ['a, \n1,2\n', 'dataset-empty-column-name'],
    ['1.5,2\n1,2\n', 'dataset-missing-header'],
    ['a,b\n1,\u0000\n', 'dataset-binary-content'],
  ])('should reject %j as %s', (csv, code) => {
    expect(codeOf(() => validate(csv))).toBe(code);
  });

  it('should read JSON Lines keys in first-seen order and reject non-objects', () => {
    expect(validate('{"a":1}\n\n{"b":2,"a":3}', 'jsonl', 4)).toMatchObject({
      columns: ['a', 'b'],
      rowCount: 2,
    });
    expect(codeOf(() => validate('{"a":1}\n"str"\n', 'jsonl'))).toBe('dataset-invalid-json-line');
  });

  it('should check the Parquet magic bytes at both ends', () => {
    expect(validate(Buffer.from('PAR1........PAR1'), 'parquet', 3).byteCount).toBe(16);
    expect(codeOf(() => validate(Buffer.from('PAR1........PAR'), 'parquet'))).toBe(
      'dataset-invalid-parquet',
    );
  });

  it('should hash the raw bytes', () => {
    const { createHash } = jest.requireActual<typeof import('node:crypto')>('node:crypto');
    expect(validate('a\n1\n').sha256).toBe(createHash('sha256').update('a\n1\n').digest('hex'));
  });
});
