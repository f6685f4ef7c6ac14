import { readFileSync } from 'node:fs';
import { openDuckDb } from './duckdb';
import { processLocalFile } from './process-file';
import { StructureValidator } from './structure-validator';
it('smoke', async () => {
  const path = process.env.SMOKE_FILE!;
  const v = new StructureValidator('csv');
  const buf = readFileSync(path);
  for (let i = 0; i < buf.length; i += 65536) v.push(buf.subarray(i, i + 65536));
  const s = v.finish();
  console.log(s);
  const db = await openDuckDb({ threads: 2, memoryLimit: '1GB', tempDirectory: '/tmp/dsx' });
  const t = Date.now();
  const r = await processLocalFile(db, {
    sourcePath: path,
    structure: s,
    parquetPath: '/tmp/dsx/out.parquet',
    title: 'x',
  });
  console.log(Date.now() - t, 'ms');
  require('fs').writeFileSync(
    '/tmp/dsx/profile.json',
    JSON.stringify({ ...r, html: undefined }, null, 1),
  );
  require('fs').writeFileSync('/tmp/dsx/report.html', r.html);
}, 600000);
