import { DuckDBInstance } from '@duckdb/node-api';
const inst = await DuckDBInstance.create(':memory:', { threads: '2' });
const c = await inst.connect();
let r = await c.runAndReadAll(`SELECT * FROM read_csv('test/fixtures/datasets/penguins.csv', delim=',', quote='"', header=true, nullstr=['','NA'], encoding='latin-1') LIMIT 3`);
console.log(r.getRowObjectsJson(), r.columnNames(), r.columnTypes().map(String));
r = await c.runAndReadAll(`SELECT to_json(t) j FROM read_csv('test/fixtures/datasets/penguins.csv', nullstr=['','NA']) t LIMIT 2`);
console.log(r.getRowObjectsJson());
r = await c.runAndReadAll(`SELECT sha256('abc') s, version() v`);
console.log(r.getRowObjectsJson());
