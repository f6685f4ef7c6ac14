import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { xlsxWorkbook } from '../../../../test/support/xlsx';
import { workbookAsCsv } from './workbook';

describe('workbookAsCsv', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'workbook-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('should write cells as CSV text the typing patterns read back as the same values', async () => {
    const path = join(dir, 'cells.xlsx');
    writeFileSync(
      path,
      xlsxWorkbook([
        ['n', 'text', 'flag', 'when'],
        [1e21, 'say "hi", then go', false, new Date(Date.UTC(2024, 1, 3, 0, 0, 1))],
        [-0.125, null, true, new Date(Date.UTC(1999, 11, 31))],
      ]),
    );
    const { csvPath, structure } = await workbookAsCsv(path);
    expect(readFileSync(csvPath, 'utf8')).toBe(
      '"n","text","flag","when"\n' +
        '1e+21,"say ""hi"", then go",false,2024-02-03 00:00:01\n' +
        '-0.125,,true,1999-12-31\n',
    );
    expect(structure.lexicalTypes).toEqual(['DOUBLE', 'VARCHAR', 'BOOLEAN', 'TIMESTAMP']);
  });

  it('should convert a sheet of 150,000 rows (wider than a spread argument list)', async () => {
    const path = join(dir, 'tall.xlsx');
    const rows = Array.from({ length: 150_000 }, (_, k) => [k, k % 3 === 0]);
    writeFileSync(path, xlsxWorkbook([['k', 'third'], ...rows]));
    const { structure } = await workbookAsCsv(path);
    expect(structure).toMatchObject({ rowCount: 150_000, lexicalTypes: ['BIGINT', 'BOOLEAN'] });
  }, 30_000);
});
