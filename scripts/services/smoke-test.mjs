#!/usr/bin/env node
// End-to-end check of the backing services with the clients the application uses (the MongoDB
// driver, ioredis, @aws-sdk/client-s3 and lib-storage from the project's node_modules):
//
//   eval "$(scripts/services/services.sh env)" && node scripts/services/smoke-test.mjs
//
// Every name is unique to the run (database, Redis key, S3 prefix) and removed afterwards, so it is
// safe against shared services. Exits 1 on the first failure.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';

import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';

const env = (name) => {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is not set; run: eval "$(scripts/services/services.sh env)"`);
  return value;
};
const run = randomUUID().slice(0, 8);
const sha256 = (data) => createHash('sha256').update(data).digest('hex');

async function step(name, fn) {
  const started = Date.now();
  try {
    const detail = await fn();
    console.log(`ok    ${name} (${Date.now() - started} ms)${detail ? `: ${detail}` : ''}`);
  } catch (err) {
    console.log(`FAIL  ${name}: ${err.name}: ${err.message}`);
    process.exitCode = 1;
    throw err;
  }
}

async function mongo() {
  const client = new MongoClient(env('MONGODB_URI'), { serverSelectionTimeoutMS: 5000 });
  const db = client.db(`smoke_${run}`);
  try {
    await step('mongodb insert, unique index, find', async () => {
      const users = db.collection('users');
      await users.createIndex({ email: 1 }, { unique: true });
      await users.insertMany([
        { email: 'a@example.com', n: 1 },
        { email: 'b@example.com', n: 2 },
      ]);
      const duplicate = await users.insertOne({ email: 'a@example.com' }).catch((err) => err);
      if (duplicate?.code !== 11000) throw new Error(`duplicate insert gave ${duplicate?.code}`);
      const found = await users.find({ n: { $gte: 2 } }).toArray();
      if (found.length !== 1 || found[0].email !== 'b@example.com') throw new Error('wrong find');
      return `database ${db.databaseName}`;
    });
  } finally {
    await db.dropDatabase().catch(() => undefined);
    await client.close();
  }
}

async function redis() {
  const client = new Redis(env('REDIS_URL'), { maxRetriesPerRequest: 1, lazyConnect: true });
  const key = `smoke:${run}`;
  try {
    await step('redis set, get, maxmemory-policy', async () => {
      await client.connect();
      await client.set(key, 'value', 'EX', 60);
      if ((await client.get(key)) !== 'value') throw new Error('get returned another value');
      const policy = await client
        .config('GET', 'maxmemory-policy')
        .then((r) => r[1])
        .catch(() => 'unknown (CONFIG not allowed)');
      return `maxmemory-policy ${policy}${policy === 'noeviction' ? '' : ' (BullMQ needs noeviction)'}`;
    });
  } finally {
    await client.del(key).catch(() => undefined);
    client.disconnect();
  }
}

async function s3() {
  const client = new S3Client({
    endpoint: env('S3_ENDPOINT'),
    region: process.env.S3_REGION || 'us-east-1',
    forcePathStyle: (process.env.S3_FORCE_PATH_STYLE ?? 'true') === 'true',
    credentials: {
      accessKeyId: env('S3_ACCESS_KEY_ID'),
      secretAccessKey: env('S3_SECRET_ACCESS_KEY'),
    },
  });
  const Bucket = env('S3_BUCKET');
  const prefix = `smoke-${run}/`;
  try {
    await step('s3 head bucket', () =>
      client.send(new HeadBucketCommand({ Bucket })).then(() => Bucket),
    );
    await step('s3 put (buffer and stream), get, copy', async () => {
      await client.send(new PutObjectCommand({ Bucket, Key: `${prefix}a.txt`, Body: 'hello' }));
      const streamed = randomBytes(100_000);
      await client.send(
        new PutObjectCommand({
          Bucket,
          Key: `${prefix}b.bin`,
          Body: Readable.from([streamed.subarray(0, 1000), streamed.subarray(1000)]),
          ContentLength: streamed.length,
        }),
      );
      const got = await client.send(new GetObjectCommand({ Bucket, Key: `${prefix}b.bin` }));
      if (sha256(Buffer.from(await got.Body.transformToByteArray())) !== sha256(streamed)) {
        throw new Error('streamed object came back different');
      }
      await client.send(
        new CopyObjectCommand({
          Bucket,
          Key: `${prefix}c.txt`,
          CopySource: `${Bucket}/${prefix}a.txt`,
        }),
      );
    });
    await step('s3 multipart upload of a 20 MB stream', async () => {
      const hash = createHash('sha256');
      const size = 20 * 1024 * 1024 + 123;
      function* chunks() {
        for (let left = size; left > 0; left -= 64 * 1024) {
          const chunk = randomBytes(Math.min(left, 64 * 1024));
          hash.update(chunk);
          yield chunk;
        }
      }
      const upload = new Upload({
        client,
        params: { Bucket, Key: `${prefix}big.bin`, Body: Readable.from(chunks()) },
        partSize: 5 * 1024 * 1024,
        queueSize: 4,
      });
      await upload.done();
      const got = await client.send(new GetObjectCommand({ Bucket, Key: `${prefix}big.bin` }));
      const check = createHash('sha256');
      let length = 0;
      for await (const chunk of got.Body) {
        check.update(chunk);
        length += chunk.length;
      }
      if (length !== size || check.digest('hex') !== hash.digest('hex')) {
        throw new Error(`downloaded ${length} bytes that differ from the upload`);
      }
      return `${size} bytes`;
    });
    await step('s3 paginated list', async () => {
      const keys = [];
      let ContinuationToken;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket, Prefix: prefix, MaxKeys: 2, ContinuationToken }),
        );
        keys.push(...(page.Contents ?? []).map((c) => c.Key));
        ContinuationToken = page.NextContinuationToken;
      } while (ContinuationToken);
      if (keys.length !== 4) throw new Error(`listed ${keys.length} keys, expected 4`);
    });
  } finally {
    await step('s3 delete objects', async () => {
      const listed = await client.send(new ListObjectsV2Command({ Bucket, Prefix: prefix }));
      const Objects = (listed.Contents ?? []).map(({ Key }) => ({ Key }));
      if (Objects.length)
        await client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects } }));
      return `${Objects.length} deleted`;
    }).catch(() => undefined);
    client.destroy();
  }
}

for (const check of [mongo, redis, s3]) {
  // A failed step has printed itself; anything else (a missing variable) is printed here.
  await check().catch((err) => {
    if (!process.exitCode) console.log(`FAIL  ${check.name}: ${err.message}`);
    process.exitCode = 1;
  });
}
console.log(process.exitCode ? 'smoke test FAILED' : 'smoke test passed');
