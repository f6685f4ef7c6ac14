import { formatFromFileName, isGzipName } from './formats';

describe('file formats from names', () => {
  it('should read the format before a .gz suffix, and only known extensions', () => {
    expect(formatFromFileName('sales.CSV')).toBe('csv');
    expect(formatFromFileName('sales.csv.gz')).toBe('csv');
    expect(formatFromFileName('rows.ndjson.GZ')).toBe('jsonl');
    expect(formatFromFileName('table.tab.gz')).toBe('tsv');
    expect(formatFromFileName('archive.gz')).toBeUndefined();
    expect(formatFromFileName('data.csv.zip')).toBeUndefined();
    expect(formatFromFileName('noextension')).toBeUndefined();
  });

  it('should tell gzip names apart', () => {
    expect(isGzipName('sales.csv.gz')).toBe(true);
    expect(isGzipName(' sales.csv.GZ ')).toBe(true);
    expect(isGzipName('sales.csv')).toBe(false);
    expect(isGzipName('sales.gzip')).toBe(false);
  });
});
