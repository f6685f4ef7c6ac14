import type { TestUser } from '../support/factories';
import type { TestApp } from '../support/test-app';
import { waitFor } from '../support/worker-process';

/** mulberry32: deterministic rows, so every run sees the same table. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface PeopleRow {
  id: number;
  age: number | null;
  income: number;
  city: string;
  joined: string;
}

/** `rows` people with some missing ages, three cities and join dates; returned with the CSV. */
export function peopleCsv(rows: number, seed = 7): { csv: string; rows: PeopleRow[] } {
  const random = rng(seed);
  const cities = ['Oslo', 'Bergen', 'Tromsø'];
  const people: PeopleRow[] = Array.from({ length: rows }, (_, i) => ({
    id: i + 1,
    age: random() < 0.15 ? null : 18 + Math.floor(random() * 50),
    income: Math.round(20_000 + random() * 80_000) / 2,
    city: cities[Math.floor(random() * cities.length)],
    joined: `2024-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`,
  }));
  const csv = [
    'id,age,income,city,joined',
    ...people.map((p) => `${p.id},${p.age ?? ''},${p.income},${p.city},${p.joined}`),
  ].join('\n');
  return { csv, rows: people };
}

export interface RunBody {
  id: string;
  state: string;
  duplicate: boolean;
  versionId?: string;
  version?: number;
  failureReason?: string;
  jobId?: string;
  warnings: { code: string; blocking: boolean }[];
  timings?: Record<string, number>;
}

/** Polls a run until it leaves `running`. */
export async function waitRun(
  app: TestApp,
  user: TestUser,
  runId: string,
  timeoutMs = 60_000,
): Promise<RunBody> {
  const res = await waitFor(
    () => app.http().get(`/api/v1/transformations/runs/${runId}`).set(user.auth),
    (r) => r.status !== 200 || (r.body as RunBody).state !== 'running',
    timeoutMs,
  );
  return res.body as RunBody;
}

export async function allRows(
  app: TestApp,
  user: TestUser,
  datasetId: string,
): Promise<Record<string, unknown>[]> {
  const res = await app
    .http()
    .get(`/api/v1/datasets/${datasetId}/rows?limit=1000`)
    .set(user.auth)
    .expect(200);
  return res.body.rows as Record<string, unknown>[];
}

/** A supertest assertion for `status` that shows the problem body when it fails. */
export function status(expected: number) {
  return (res: { status: number; body: unknown }): void => {
    if (res.status !== expected)
      throw new Error(`expected ${expected}, got ${res.status}: ${JSON.stringify(res.body)}`);
  };
}
