import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { DatasetError } from '../datasets.errors';
import { UploadInspector } from './upload-inspector';

const LIMITS = { maxUncompressedBytes: 1 << 20 };

async function inspect(
  bytes: Buffer,
  fileName: { gzipName?: boolean; format?: 'csv' | 'jsonl' | 'parquet' } = {},
  chunkSize = 7,
  limits = LIMITS,
) {
  const inspector = new UploadInspector(
    fileName.format ?? 'csv',
    fileName.gzipName ?? true,
    limits,
  );
  for (let i = 0; i < bytes.length; i += chunkSize)
    await inspector.write(bytes.subarray(i, i + chunkSize));
  return inspector.finish();
}

async function failure(promise: Promise<unknown>): Promise<DatasetError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DatasetError);
  return error as DatasetError;
}

const csv = 'id,city,amount\n1,Zürich,1.5\n2,Lyon,\n3,Gent,-2\n';

describe('UploadInspector', () => {
  it('should check gzip-compressed text as the text it holds, and describe the stored file', async () => {
    const gz = gzipSync(csv);
    for (const chunk of [1, 2, 7, 1 << 16]) {
      const report = await inspect(gz, {}, chunk);
      expect(report).toMatchObject({
        format: 'csv',
        columns: ['id', 'city', 'amount'],
        lexicalTypes: ['BIGINT', 'VARCHAR', 'DOUBLE'],
        rowCount: 3,
        compression: 'gzip',
        byteCount: gz.length,
        uncompressedBytes: Buffer.byteLength(csv),
        sha256: createHash('sha256').update(gz).digest('hex'),
      });
    }
  });

  it('should read concatenated gzip members as one text, whatever the name says', async () => {
    const gz = Buffer.concat([gzipSync('id,n\n1,2\n'), gzipSync('3,4\n5,6\n')]);
    const report = await inspect(gz, { gzipName: false });
    expect(report).toMatchObject({
      rowCount: 3,
      compression: 'gzip',
      lexicalTypes: ['BIGINT', 'BIGINT'],
    });
    const jsonl = await inspect(gzipSync('{"a":1}\n{"a":2}\n'), { format: 'jsonl' });
    expect(jsonl).toMatchObject({ columns: ['a'], compression: 'gzip' });
  });

  it('should leave plain text as it is', async () => {
    const report = await inspect(Buffer.from(csv), { gzipName: false }, 1);
    expect(report.compression).toBeUndefined();
    expect(report.byteCount).toBe(Buffer.byteLength(csv));
    expect(report.sha256).toBe(createHash('sha256').update(csv).digest('hex'));
  });

  it('should find structural errors inside the compressed text', async () => {
    const error = await failure(inspect(gzipSync('a,b\n1,2\n3\n4,5\n')));
    expect(error.code).toBe('dataset-ragged-rows');
  });

  it('should refuse damaged or truncated gzip, a .gz name on plain text, and compressed binary formats', async () => {
    const gz = gzipSync(csv.repeat(50));
    const truncated = await failure(inspect(gz.subarray(0, gz.length - 20)));
    expect(truncated.code).toBe('dataset-invalid-compression');
    expect(truncated.detail).toMatch(/damaged or cut short/);
    const damaged = Buffer.from(gz);
    damaged.fill(0x41, 20, 60);
    expect((await failure(inspect(damaged))).code).toBe('dataset-invalid-compression');
    const plain = await failure(inspect(Buffer.from(csv)));
    expect(plain.detail).toMatch(/named \.gz but is not gzip-compressed/);
    const parquet = await failure(inspect(gzipSync('PAR1xxxxPAR1'), { format: 'parquet' }));
    expect(parquet.detail).toMatch(/only CSV, TSV and JSON Lines/);
  });

  it('should stop inflating past the uncompressed limit', async () => {
    const bomb = gzipSync(`a,b\n${'1,2\n'.repeat(100_000)}`);
    expect(bomb.length).toBeLessThan(4096);
    const error = await failure(inspect(bomb, {}, 512, { maxUncompressedBytes: 64 * 1024 }));
    expect(error.code).toBe('dataset-too-large');
    expect(error.detail).toMatch(/more than the limit of 65536 bytes of text/);
  });
});
