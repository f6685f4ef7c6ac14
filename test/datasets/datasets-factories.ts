import type { TestUser } from '../support/factories';
import type { TestApp } from '../support/test-app';

export interface UploadOptions {
  fileName?: string;
  name?: string;
  description?: string;
  format?: string;
}

/** Uploads `content` as a dataset; returns the raw response (no status expectation). */
export function uploadDataset(
  app: TestApp,
  user: TestUser,
  content: string | Buffer,
  options: UploadOptions = {},
) {
  let req = app.http().post('/api/v1/datasets').set(user.auth);
  if (options.name !== undefined) req = req.field('name', options.name);
  if (options.description !== undefined) req = req.field('description', options.description);
  if (options.format !== undefined) req = req.field('format', options.format);
  return req.attach(
    'file',
    Buffer.isBuffer(content) ? content : Buffer.from(content),
    options.fileName ?? 'data.csv',
  );
}

/** The parts of a dataset answer the tests read. */
export interface DatasetBody {
  id: string;
  name: string;
  status: string;
  duplicates: { datasetId: string; match: string }[];
  currentVersion: { id: string; contentHash?: string; encoding?: string; delimiter?: string };
}

/** Polls a dataset until processing ends; returns its final body. */
export async function waitProcessed(
  app: TestApp,
  user: TestUser,
  id: string,
  timeoutMs = 30_000,
): Promise<DatasetBody> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await app.http().get(`/api/v1/datasets/${id}`).set(user.auth).expect(200);
    const body = res.body as DatasetBody;
    if (body.status !== 'processing') return body;
    if (Date.now() > deadline)
      throw new Error(`dataset ${id} still processing after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Creates a ready dataset from CSV text. */
export async function newDataset(
  app: TestApp,
  user: TestUser,
  csv: string,
  options: UploadOptions = {},
): Promise<DatasetBody> {
  const res = await uploadDataset(app, user, csv, options).expect(201);
  return waitProcessed(app, user, res.body.id);
}
