#!/usr/bin/env node
// Local S3-protocol server for NarrativeML development and tests: s3rver (a devDependency)
// with its objects on disk, so they survive restarts. Started by scripts/services/services.sh.
//
// Environment:
//   S3_PORT       port to listen on (4568)
//   S3_ADDRESS    address to listen on (127.0.0.1)
//   S3_DIRECTORY  data directory (<repo>/.data/s3)
//   S3_BUCKET     bucket created at start when missing (narrativeml)
//   S3_SERVER_VERBOSE  set to 1 to log each request and s3rver's errors
//
// Credentials: s3rver accepts access key S3RVER with secret S3RVER. Clients must use path-style
// addressing (forcePathStyle: true) and region us-east-1.
//
// s3rver 3.7.1 predates parts of the current AWS SDK; the patches below (aws-chunked bodies,
// ListObjectsV2 continuation tokens, AbortMultipartUpload, DeleteObjects) are explained where
// they are made and in docs/runbooks/local-services.md.
import crypto, { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

// `createRequire` rather than `import` so that NODE_PATH can point at another install (ESM
// resolution ignores NODE_PATH); normally s3rver comes from the project's node_modules.
const require = createRequire(import.meta.url);
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const port = Number.parseInt(process.env.S3_PORT ?? '4568', 10);
const address = process.env.S3_ADDRESS || '127.0.0.1';
const directory = resolve(process.env.S3_DIRECTORY || resolve(repoRoot, '.data', 's3'));
const bucket = process.env.S3_BUCKET || 'narrativeml';

function log(message) {
  process.stderr.write(`${new Date().toISOString()} s3-server: ${message}\n`);
}

if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  log(`invalid S3_PORT ${JSON.stringify(process.env.S3_PORT)}`);
  process.exit(2);
}

// s3rver makes ListObjectsV2 continuation tokens with single DES ('des', i.e. DES-CBC), which
// OpenSSL 3 (Node >= 17) only has in its legacy provider: every truncated listing failed with
// InternalError ("digital envelope routines::unsupported"). Triple DES with the key repeated
// three times computes exactly single DES and is in the default provider, so the tokens are
// unchanged. This only patches this process.
for (const name of ['createCipheriv', 'createDecipheriv']) {
  const original = crypto[name];
  crypto[name] = function (algorithm, key, iv, options) {
    if (typeof algorithm === 'string' && algorithm.toLowerCase() === 'des' && key?.length === 8) {
      return original.call(this, 'des-ede3-cbc', Buffer.concat([key, key, key]), iv, options);
    }
    return original.call(this, algorithm, key, iv, options);
  };
}

let S3rver;
try {
  S3rver = require('s3rver');
} catch (err) {
  log(
    `cannot load the s3rver package (${err.code ?? err.message}); run \`npm install\` ` +
      'in the repository root (s3rver is a devDependency) or set S3_ENDPOINT to an existing S3 server',
  );
  process.exit(1);
}

/**
 * Decodes an `aws-chunked` request body (`<hex size>[;chunk-signature=..]\r\n<data>\r\n`...,
 * then `0\r\n` and optional trailers such as `x-amz-checksum-crc32:<base64>`).
 *
 * Why: AWS SDK for JavaScript v3 (since 3.729, "flexible checksums") sends a streamed PutObject or
 * UploadPart body as `x-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER` with
 * `Content-Encoding: aws-chunked`. s3rver 3.7.1 predates that and stores the framing bytes as the
 * object's content: a silently corrupted object. S3 itself strips the framing, so we do the same.
 * The CRC32, SHA-1 and SHA-256 trailers are checked; other algorithms (CRC32C, CRC64NVME) are
 * not available in Node's standard library and are only parsed.
 */
class AwsChunkedDecoder extends Transform {
  constructor() {
    super();
    this.buf = Buffer.alloc(0);
    this.state = 'header'; // header -> data -> crlf -> header ... -> trailer
    this.remaining = 0;
    this.crc32 = 0;
    this.sha1 = createHash('sha1');
    this.sha256 = createHash('sha256');
  }

  _transform(chunk, _encoding, callback) {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    try {
      this.decode();
      callback();
    } catch (err) {
      callback(err);
    }
  }

  _flush(callback) {
    try {
      if (this.state !== 'trailer') throw new Error('aws-chunked body ended before its last chunk');
      this.checkTrailers(this.buf.toString('latin1'));
      callback();
    } catch (err) {
      callback(err);
    }
  }

  decode() {
    for (;;) {
      if (this.state === 'header') {
        const eol = this.buf.indexOf('\r\n');
        if (eol < 0) {
          if (this.buf.length > 8192) throw new Error('aws-chunked chunk header too long');
          return;
        }
        const sizeField = this.buf.subarray(0, eol).toString('latin1').split(';')[0].trim();
        this.buf = this.buf.subarray(eol + 2);
        if (!/^[0-9a-fA-F]{1,16}$/.test(sizeField)) {
          throw new Error(`malformed aws-chunked chunk size ${JSON.stringify(sizeField)}`);
        }
        this.remaining = Number.parseInt(sizeField, 16);
        this.state = this.remaining === 0 ? 'trailer' : 'data';
      } else if (this.state === 'data') {
        if (this.buf.length === 0) return;
        const data = this.buf.subarray(0, Math.min(this.remaining, this.buf.length));
        this.buf = this.buf.subarray(data.length);
        this.remaining -= data.length;
        if (zlib.crc32) this.crc32 = zlib.crc32(data, this.crc32);
        this.sha1.update(data);
        this.sha256.update(data);
        this.push(data);
        if (this.remaining === 0) this.state = 'crlf';
      } else if (this.state === 'crlf') {
        if (this.buf.length < 2) return;
        if (this.buf[0] !== 0x0d || this.buf[1] !== 0x0a) {
          throw new Error('malformed aws-chunked body: no CRLF after a chunk');
        }
        this.buf = this.buf.subarray(2);
        this.state = 'header';
      } else {
        return; // trailers are read whole in _flush
      }
    }
  }

  checkTrailers(text) {
    for (const line of text.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      let actual;
      if (name === 'x-amz-checksum-crc32' && zlib.crc32) {
        const b = Buffer.alloc(4);
        b.writeUInt32BE(this.crc32 >>> 0);
        actual = b.toString('base64');
      } else if (name === 'x-amz-checksum-sha1') {
        actual = this.sha1.digest('base64');
      } else if (name === 'x-amz-checksum-sha256') {
        actual = this.sha256.digest('base64');
      } else {
        continue;
      }
      if (actual !== value) throw new Error(`${name} mismatch: trailer ${value}, body ${actual}`);
    }
  }
}

function isAwsChunked(headers) {
  const encoding = String(headers['content-encoding'] ?? '');
  return (
    String(headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-') ||
    encoding.split(',').some((e) => e.trim().toLowerCase() === 'aws-chunked')
  );
}

function withoutAwsChunked(metadata) {
  const encoding = metadata?.['content-encoding'];
  if (typeof encoding !== 'string') return metadata;
  const rest = encoding
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e && e.toLowerCase() !== 'aws-chunked');
  const copy = { ...metadata };
  if (rest.length) copy['content-encoding'] = rest.join(',');
  else delete copy['content-encoding'];
  return copy;
}

function escapeXml(text) {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

mkdirSync(directory, { recursive: true });
// Outside `directory`: s3rver treats every folder there as a bucket.
const tmpDir = mkdtempSync(join(tmpdir(), 'narrativeml-s3-server-'));
process.on('exit', () => rmSync(tmpDir, { recursive: true, force: true }));

const server = new S3rver({
  address,
  port,
  directory,
  // S3_SERVER_VERBOSE=1 logs every request and s3rver's own errors (to .data/logs/s3.log).
  silent: !process.env.S3_SERVER_VERBOSE,
  // Creates the bucket when missing and leaves an existing one (and its objects) alone.
  configureBuckets: [{ name: bucket }],
});

// The decoded body goes to a temporary file first, so that a malformed body or a checksum
// mismatch is answered with an S3 error before s3rver writes anything (s3rver does not watch the
// body stream for errors and would hang, leaving a partial object behind).
// s3rver's controllers read the body from ctx.req; the headers (and so the signature check) come
// from ctx.request, which keeps the original request. This runs before s3rver's middleware.
server.middleware.unshift(async (ctx, next) => {
  if (!isAwsChunked(ctx.headers)) return next();
  const file = join(tmpDir, randomUUID());
  try {
    await pipeline(ctx.req, new AwsChunkedDecoder(), createWriteStream(file));
  } catch (err) {
    await rm(file, { force: true });
    log(`rejecting ${ctx.method} ${ctx.path}: ${err.message}`);
    ctx.status = 400;
    ctx.type = 'application/xml';
    ctx.body =
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>' +
      (err.message.includes('mismatch') ? 'BadDigest' : 'IncompleteBody') +
      `</Code><Message>${escapeXml(err.message)}</Message></Error>`;
    return;
  }
  const body = createReadStream(file);
  body.headers = ctx.req.headers;
  ctx.req = body;
  try {
    await next();
  } finally {
    body.destroy();
    await rm(file, { force: true });
  }
});

// AbortMultipartUpload (DELETE /bucket/key?uploadId=...): s3rver 3.7.1 answers 405. lib-storage's
// Upload calls it when an upload fails, and without it the parts stay on disk. Path-style only.
server.middleware.unshift(async (ctx, next) => {
  if (ctx.method !== 'DELETE' || !('uploadId' in ctx.query)) return next();
  const [bucketName, ...keyParts] = ctx.path.split('/').slice(1).map(decodeURIComponent);
  const uploadId = String(ctx.query.uploadId);
  const uploadDir = /^[0-9a-f]{1,64}$/i.test(uploadId)
    ? join(server.store.getResourcePath(bucketName, undefined, 'uploads'), uploadId)
    : undefined;
  const storedKey = uploadDir
    ? await readFile(join(uploadDir, 'key'), 'utf8').catch(() => undefined)
    : undefined;
  if (storedKey === undefined || storedKey !== keyParts.join('/')) {
    ctx.status = 404;
    ctx.type = 'application/xml';
    ctx.body =
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchUpload</Code>' +
      '<Message>The specified upload does not exist.</Message>' +
      `<UploadId>${escapeXml(uploadId)}</UploadId></Error>`;
    return;
  }
  await rm(uploadDir, { recursive: true, force: true });
  ctx.status = 204;
});

// DeleteObject without s3rver's clean-up of empty key directories. That clean-up races: a
// DeleteObjects of several keys under one prefix runs the deletes in parallel, and one delete's
// readdir fails with ENOENT after another removed the directory (an InternalError for the whole
// request); it can also remove a directory a concurrent PutObject has just created. Listings are
// built from object files, so empty directories are invisible to clients.
server.store.deleteObject = async function deleteObject(bucketName, key) {
  await Promise.all(
    ['object', 'object.md5', 'metadata.json'].map((resource) =>
      rm(this.getResourcePath(bucketName, key, resource), { force: true }),
    ),
  );
};

// Store the object's own Content-Encoding (gzip, say), not the transfer framing.
for (const method of ['putMetadata', 'initiateUpload']) {
  const original = server.store[method].bind(server.store);
  server.store[method] =
    method === 'putMetadata'
      ? (b, key, metadata, md5) => original(b, key, withoutAwsChunked(metadata), md5)
      : (b, key, uploadId, metadata) => original(b, key, uploadId, withoutAwsChunked(metadata));
}

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  log(`${signal} received, closing`);
  try {
    await server.close();
  } catch (err) {
    log(`error while closing: ${err.message}`);
  }
  process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));

try {
  const { address: host, port: boundPort } = await server.run();
  log(`listening on http://${host}:${boundPort}, bucket ${bucket}, data in ${directory}`);
} catch (err) {
  log(`failed to start: ${err.stack ?? err.message}`);
  process.exit(1);
}
