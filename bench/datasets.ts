import { execFileSync } from 'node:child_process';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { openDuckDb, withConnection } from '../src/modules/datasets/engine/duckdb';
import { processLocalFile } from '../src/modules/datasets/engine/process-file';
import { StructureValidator } from '../src/modules/datasets/engine/structure-validator';
import type { DatasetFormat } from '../src/modules/datasets/engine/formats';
import { createTypedCopy } from '../src/modules/datasets/engine/typed-copy';
import {
  fmt,
  httpCall,
  loadServiceEnv,
  percentile,
  signUpBenchUser,
  startApi,
  startWorker,
  uploadFile,
} from './support';

/**
 * Issue 5 targets, on generated data:
 *  - 1,000,000 rows × 20 mixed columns (~100 MB CSV): upload → profile end to end ≤ 10 s with the
 *    API process ≤ 1 GB peak RSS; processing alone ≥ 3× faster than pandas
 *    read_csv + describe(include='all') + corr();
 *  - 10,000,000 rows × 10 columns: typed copy + hash + profile within 2 GB peak RSS;
 *  - a 100-row page of typed rows: p50 < 20 ms.
 * `node dist/bench/datasets.js` runs everything; child modes measure peak memory in isolation.
 */
const WORK = join(tmpdir(), 'narrativeml-bench-datasets');
const PORT = 3927;
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const BIG_ROWS = Number(process.env.BENCH_BIG_ROWS ?? 10_000_000);
// BENCH_ONLY=processing stops after the processing-vs-pandas comparison.

/** mulberry32: a small deterministic PRNG so every run profiles the same data. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function generateCsv(path: string, rows: number): Promise<void> {
  const r = rng(42);
  const cities = Array.from({ length: 20 }, (_, i) => `city_${i}`);
  const products = Array.from({ length: 100 }, (_, i) => `product-${i}`);
  const regions = ['north', 'south', 'east', 'west', 'centre', 'islands', 'coast', 'mountains'];
  const words = [
    'alpha',
    'bravo',
    'charlie',
    'delta',
    'echo',
    'foxtrot',
    'golf',
    'hotel',
    'india',
    'juliet',
  ];
  const out = createWriteStream(path);
  out.write(
    'id,age,income,score,visits,ratio,temperature,active,joined,last_seen,city,segment,product,code,note,level,amount,rating,region,weight\n',
  );
  let buffer = '';
  for (let i = 0; i < rows; i += 1) {
    const day = 1 + Math.floor(r() * 28);
    const month = 1 + Math.floor(r() * 12);
    const date = `2023-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const hour = String(Math.floor(r() * 24)).padStart(2, '0');
    buffer +=
      `${i},${18 + Math.floor(r() * 60)},${r() < 0.05 ? '' : (20000 + r() * 80000).toFixed(2)},${r().toFixed(4)},` +
      `${r() < 0.3 ? 0 : Math.floor(r() * 50)},${(r() * 2).toFixed(3)},${(r() * 40 - 10).toFixed(1)},${r() < 0.5 ? 'true' : 'false'},` +
      `${date},${date} ${hour}:15:00,${cities[Math.floor(r() * 20)]},${r() < 0.1 ? '' : `seg${Math.floor(r() * 5)}`},` +
      `${products[Math.floor(r() * 100)]},C${(i * 7919).toString(36)},${words[Math.floor(r() * 10)]} ${words[Math.floor(r() * 10)]} ${Math.floor(r() * 1000)},` +
      `${1 + Math.floor(r() * 5)},${Math.exp(r() * 8).toFixed(2)},${1 + Math.floor(r() * 10)},${regions[Math.floor(r() * 8)]},${(50 + r() * 50).toFixed(1)}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer))
        await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      buffer = '';
    }
  }
  out.write(buffer);
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

function structureOf(path: string, format: DatasetFormat) {
  const validator = new StructureValidator(format);
  const fd = readFileSync(path);
  for (let i = 0; i < fd.length; i += 1 << 20) validator.push(fd.subarray(i, i + (1 << 20)));
  return validator.finish();
}

/**
 * Child mode: validate + type + hash + profile one local file; prints timings and peak RSS.
 * With `copyOnly`, the worker stops after the typed Parquet copy: the floor under any profile.
 */
async function processMode(path: string, format: DatasetFormat, copyOnly = false): Promise<void> {
  const started = Date.now();
  const structure =
    format === 'parquet'
      ? { format, columns: [], byteCount: statSync(path).size, sha256: '' }
      : structureOf(path, format);
  const validated = Date.now();
  const db = await openDuckDb({
    threads: 2,
    memoryLimit: process.env.BENCH_DUCKDB_MEMORY ?? '1536MB',
    tempDirectory: join(WORK, 'spill'),
  });
  const parquetPath = `${path}.typed.parquet`;
  const result = copyOnly
    ? await withConnection(db, async (connection) => ({
        rowCount: undefined,
        ...(await createTypedCopy(connection, path, structure, parquetPath)),
      }))
    : await processLocalFile(db, { sourcePath: path, structure, parquetPath, title: 'bench' });
  const done = Date.now();
  rmSync(`${path}.typed.parquet`, { force: true });
  console.log(
    JSON.stringify({
      validateMs: validated - started,
      processMs: done - validated,
      totalMs: done - started,
      rows: result.rowCount,
      typedBy: result.typedBy,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    }),
  );
}

/** What a child's `processMode` prints. */
interface ChildResult {
  validateMs: number;
  processMs: number;
  totalMs: number;
  rows?: number;
  typedBy?: string;
  peakRssMb: number;
}

function child(args: string[]): ChildResult {
  const output = execFileSync(process.execPath, ['--no-node-snapshot', __filename, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  return JSON.parse(output.trim().split('\n').pop()!) as ChildResult;
}

function pandasSeconds(path: string): number {
  const script = [
    'import sys, time',
    'import pandas as pd',
    't = time.perf_counter()',
    'df = pd.read_csv(sys.argv[1])',
    "df.describe(include='all')",
    'df.corr(numeric_only=True)',
    'print(time.perf_counter() - t)',
  ].join('\n');
  return Number(
    execFileSync('/usr/bin/python3', ['-c', script, path], { encoding: 'utf8' }).trim(),
  );
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

/** Uploads a file and waits for its profile: the dataset's id and the two durations. */
async function uploadUntilReady(
  agent: Agent,
  auth: Record<string, string>,
  path: string,
  fileName: string,
): Promise<{ id: string; uploadedMs: number; totalMs: number }> {
  const started = Date.now();
  const created = await uploadFile(agent, PORT, auth, path, fileName);
  const uploadedMs = Date.now() - started;
  if (created.status !== 201) throw new Error(`upload answered ${created.status}: ${created.body}`);
  const id = (JSON.parse(created.body) as { id: string }).id;
  let status = 'processing';
  let body = '';
  while (status === 'processing') {
    await new Promise((resolve) => setTimeout(resolve, 100));
    body = (await httpCall(agent, PORT, 'GET', `/api/v1/datasets/${id}`, auth)).body;
    status = (JSON.parse(body) as { status: string }).status;
  }
  if (status !== 'ready') throw new Error(`processing ended ${status}: ${body}`);
  return { id, uploadedMs, totalMs: Date.now() - started };
}

async function endToEnd(csv: string): Promise<void> {
  // Processing is a worker job: the API and a worker share the same Redis keyspace.
  const env = { APP_PROFILE: 'test', LOG_LEVEL: 'warn', REDIS_KEY_PREFIX: `bench${Date.now()}` };
  const api = await startApi(PORT, env);
  const worker = await startWorker(env);
  try {
    const agent = new Agent({ keepAlive: true });
    const auth = await signUpBenchUser(PORT);
    const { id, uploadedMs, totalMs } = await uploadUntilReady(agent, auth, csv, 'bench.csv');
    console.log(
      `end to end (upload ${ROWS} rows → profile ready): ${fmt(totalMs / 1000)} s (upload+validate ${fmt(uploadedMs / 1000)} s), peak RSS API ${fmt(peakRssMb(api.pid!), 0)} MB + worker ${fmt(peakRssMb(worker.pid!), 0)} MB`,
    );
    const times: number[] = [];
    const random = (n: number) => Math.floor(Math.random() * n);
    await httpCall(agent, PORT, 'GET', `/api/v1/datasets/${id}/rows?limit=100`, auth); // warm the cache
    for (let i = 0; i < 300; i += 1) {
      const t = process.hrtime.bigint();
      const res = await httpCall(
        agent,
        PORT,
        'GET',
        `/api/v1/datasets/${id}/rows?offset=${random(ROWS - 100)}&limit=100`,
        auth,
      );
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (res.status !== 200) throw new Error(`rows answered ${res.status}`);
    }
    times.sort((a, b) => a - b);
    console.log(
      `100-row page at a random offset: p50 ${fmt(percentile(times, 50))} ms, p95 ${fmt(percentile(times, 95))} ms`,
    );
    await httpCall(agent, PORT, 'DELETE', `/api/v1/datasets/${id}`, auth);

    // Not a target: what a gzip-compressed upload of the same table costs (inflated twice:
    // in the upload pass for the checks, in the worker for DuckDB).
    const gz = `${csv}.gz`;
    if (!existsSync(gz)) await pipeline(createReadStream(csv), createGzip(), createWriteStream(gz));
    const zipped = await uploadUntilReady(agent, auth, gz, 'bench.csv.gz');
    console.log(
      `end to end, the same file gzip-compressed (${fmt(statSync(gz).size / 1e6, 0)} MB): ${fmt(zipped.totalMs / 1000)} s (upload+validate ${fmt(zipped.uploadedMs / 1000)} s)`,
    );
    await httpCall(agent, PORT, 'DELETE', `/api/v1/datasets/${zipped.id}`, auth);
    agent.destroy();
  } finally {
    for (const child of [worker, api]) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }
}

async function bigParquet(path: string, rows: number): Promise<void> {
  const db = await openDuckDb({
    threads: 2,
    memoryLimit: '1GB',
    tempDirectory: join(WORK, 'spill'),
  });
  const connection = await db.connect();
  await connection.run(`COPY (SELECT i AS id, (hash(i) % 100)::BIGINT AS a, (hash(i * 3) % 1000000) / 100.0 AS b,
      CASE WHEN i % 20 = 0 THEN NULL ELSE (hash(i * 5) % 10000) / 7.0 END AS c, (i % 7 = 0) AS d,
      'cat' || (hash(i * 11) % 12)::VARCHAR AS e, 'g' || (hash(i * 13) % 4)::VARCHAR AS f,
      DATE '2020-01-01' + (i % 1500)::INTEGER AS g, (hash(i * 17) % 50)::BIGINT - 25 AS h, sqrt(i)::DOUBLE AS k
    FROM range(${rows}) t(i)) TO '${path}' (FORMAT parquet)`);
  connection.closeSync();
  db.closeSync();
}

async function main(): Promise<void> {
  loadServiceEnv();
  mkdirSync(join(WORK, 'spill'), { recursive: true });
  const csv = join(WORK, `mixed-${ROWS}.csv`);
  if (!existsSync(csv)) await generateCsv(csv, ROWS);
  console.log(`data: ${ROWS} rows × 20 columns, ${fmt(statSync(csv).size / 1e6, 0)} MB CSV`);

  // The structure checks and lexical typing run during the upload; the rest is the worker's job.
  const alone = child(['process', csv, 'csv']);
  console.log(
    `processing alone (upload-pass checks and typing ${fmt(alone.validateMs / 1000)} s + worker: typed copy/profile/hash ${fmt(alone.processMs / 1000)} s, typed by ${alone.typedBy}): ${fmt(alone.totalMs / 1000)} s, peak RSS ${fmt(alone.peakRssMb, 0)} MB`,
  );
  const pandas = pandasSeconds(csv);
  console.log(
    `pandas read_csv + describe(include='all') + corr(): ${fmt(pandas)} s → speed-up ${fmt(pandas / (alone.totalMs / 1000), 1)}× (worker's part alone ${fmt(pandas / (alone.processMs / 1000), 1)}×)`,
  );

  // What no profile can go below: the same checks and typed copy with nothing computed after.
  const floor = child(['copy-only', csv, 'csv']);
  console.log(
    `floor without any profile (upload-pass checks ${fmt(floor.validateMs / 1000)} s + typed Parquet copy ${fmt(floor.processMs / 1000)} s): ${fmt(floor.totalMs / 1000)} s = ${fmt(pandas / (floor.totalMs / 1000), 1)}× pandas (worker's part alone ${fmt(pandas / (floor.processMs / 1000), 1)}×); 3× pandas leaves ${fmt(pandas / 3 - floor.totalMs / 1000)} s for the whole profile`,
  );

  if (process.env.BENCH_ONLY === 'processing') return;
  await endToEnd(csv);

  const parquet = join(WORK, `big-${BIG_ROWS}.parquet`);
  if (!existsSync(parquet)) await bigParquet(parquet, BIG_ROWS);
  const big = child(['process', parquet, 'parquet']);
  console.log(
    `${BIG_ROWS} rows × 10 columns (Parquet) typed copy + hash + profile: ${fmt(big.totalMs / 1000)} s, peak RSS ${fmt(big.peakRssMb, 0)} MB`,
  );
}

if (process.argv[2] === 'process' || process.argv[2] === 'copy-only') {
  processMode(
    process.argv[3],
    process.argv[4] as DatasetFormat,
    process.argv[2] === 'copy-only',
  ).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
