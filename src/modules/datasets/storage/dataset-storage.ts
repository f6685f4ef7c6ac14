import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Inject, Injectable } from '@nestjs/common';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { AppConfigService } from 'src/core/config';
import { DATASETS_OPTIONS, type DatasetsOptions } from '../datasets.options';

/** Object keys of one dataset version; deterministic, so processing can be re-run. */
export function versionKeys(datasetId: string, versionId: string, root = 'datasets/') {
  const base = `${root}${datasetId}/${versionId}`;
  return {
    prefix: `${base}/`,
    source: `${base}/source`,
    parquet: `${base}/data.parquet`,
    profile: `${base}/profile.json`,
    report: `${base}/report.html`,
  };
}

/** The keys of a version from its source key: outputs sit beside the uploaded file. */
export function keysBesideSource(sourceKey: string): ReturnType<typeof versionKeys> {
  const base = sourceKey.replace(/source$/, '');
  return {
    prefix: base,
    source: sourceKey,
    parquet: `${base}data.parquet`,
    profile: `${base}profile.json`,
    report: `${base}report.html`,
  };
}

export function datasetPrefix(datasetId: string, root = 'datasets/'): string {
  return `${root}${datasetId}/`;
}

/** The datasets domain's view of the object store. */
@Injectable()
export class DatasetStorage {
  private readonly bucket: string;

  constructor(
    private readonly s3: S3Client,
    config: AppConfigService,
    @Inject(DATASETS_OPTIONS) private readonly options: DatasetsOptions,
  ) {
    this.bucket = config.get('s3').bucket;
  }

  keys(datasetId: string, versionId: string): ReturnType<typeof versionKeys> {
    return versionKeys(datasetId, versionId, this.options.storagePrefix);
  }

  datasetPrefix(datasetId: string): string {
    return datasetPrefix(datasetId, this.options.storagePrefix);
  }

  /** Streams `body` to `key` with a multipart upload; abort it with `upload.abort()`. */
  streamUpload(key: string, body: Readable, contentType: string): Upload {
    return new Upload({
      client: this.s3,
      params: { Bucket: this.bucket, Key: key, Body: body, ContentType: contentType },
      queueSize: 2,
      partSize: 8 * 1024 * 1024,
      leavePartsOnError: false,
    });
  }

  async put(key: string, body: Buffer | string, contentType: string): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }),
    );
  }

  async putFile(key: string, body: Readable, contentType: string): Promise<void> {
    await this.streamUpload(key, body, contentType).done();
  }

  async getText(key: string): Promise<string> {
    const result = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return (await result.Body?.transformToString('utf-8')) ?? '';
  }

  /** The object's bytes as a stream (for answering a download without a local copy). */
  async getStream(key: string): Promise<Readable> {
    const result = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return result.Body as Readable;
  }

  async downloadToFile(key: string, path: string): Promise<void> {
    await pipeline(await this.getStream(key), createWriteStream(path));
  }

  /**
   * Writes an uploaded version's source file to `path` as the text it holds: inflated when it
   * came gzip-compressed (DuckDB reads a plain file on both cores, a .gz one on one).
   */
  async downloadSource(source: { key: string; compression?: 'gzip' }, path: string): Promise<void> {
    const body = await this.getStream(source.key);
    if (source.compression === 'gzip')
      await pipeline(body, createGunzip(), createWriteStream(path));
    else await pipeline(body, createWriteStream(path));
  }

  async delete(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  /** Deletes every object under `prefix`; safe to repeat. */
  async deletePrefix(prefix: string): Promise<number> {
    let deleted = 0;
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      const keys = (page.Contents ?? []).flatMap((object) =>
        object.Key ? [{ Key: object.Key }] : [],
      );
      if (keys.length > 0) {
        await this.s3.send(
          new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: keys, Quiet: true } }),
        );
        deleted += keys.length;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return deleted;
  }

  async list(prefix: string): Promise<string[]> {
    const page = await this.s3.send(
      new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix }),
    );
    return (page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : []));
  }
}
