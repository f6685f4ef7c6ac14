import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import request from 'supertest';
import { AppModule } from 'src/app.module';
import { configureHttpApp } from 'src/app.factory';
import { createHttpAdapter } from 'src/core/http/http-adapter';
import { APP_CONFIG, loadConfiguration } from 'src/core/config';
import type { DatasetsOptions } from 'src/modules/datasets/datasets.options';
import { DatasetStorage } from 'src/modules/datasets/storage/dataset-storage';
import { stopProcess } from '../support/processes';
import { startWorker } from '../support/worker-process';
import { loadServiceEnv } from '../support/service-env';
import { dropDatabase, type TestApp, uniqueName, withDatabase } from '../support/test-app';

export interface DatasetsTestApp extends TestApp {
  options: DatasetsOptions;
  /** Keys under `prefix` in the bucket. */
  objects: (prefix: string) => Promise<string[]>;
}

/**
 * startTestApp with the datasets options overridden (a small upload limit, a scratch folder of
 * its own), so limits can be tested without gigabyte uploads.
 */
export async function startDatasetsTestApp(
  overrides: Partial<DatasetsOptions> = {},
  env: Record<string, string> = {},
): Promise<DatasetsTestApp> {
  loadServiceEnv();
  const namespace = uniqueName('ds');
  // Options are configuration, so the worker process gets the same ones through its environment.
  const datasetsEnv: Record<string, string> = {
    DATASET_SCRATCH_DIR: mkdtempSync(join(tmpdir(), `${namespace}-`)),
    DATASET_STORAGE_PREFIX: `test-datasets/${namespace}/`,
    ...(overrides.maxUploadBytes !== undefined
      ? { DATASET_MAX_UPLOAD_BYTES: String(overrides.maxUploadBytes) }
      : {}),
    ...(overrides.maxUncompressedBytes !== undefined
      ? { DATASET_MAX_UNCOMPRESSED_BYTES: String(overrides.maxUncompressedBytes) }
      : {}),
    ...(overrides.maxWorkbookBytes !== undefined
      ? { DATASET_MAX_WORKBOOK_BYTES: String(overrides.maxWorkbookBytes) }
      : {}),
    ...(overrides.cacheMaxBytes !== undefined
      ? { DATASET_CACHE_MAX_BYTES: String(overrides.cacheMaxBytes) }
      : {}),
  };
  const config = loadConfiguration({
    ...process.env,
    APP_PROFILE: 'test',
    MONGODB_URI: withDatabase(process.env.MONGODB_URI!, namespace),
    REDIS_KEY_PREFIX: namespace,
    ...datasetsEnv,
    ...env,
  });
  const options: DatasetsOptions = config.datasets;
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(APP_CONFIG)
    .useValue(config)
    .compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(), {
    bodyParser: false,
    bufferLogs: true,
  });
  configureHttpApp(app);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const s3 = app.get(S3Client);
  const partial = {
    app,
    config,
    namespace,
    url: `http://127.0.0.1:${address.port}`,
    http: () => request(app.getHttpServer()),
  };
  // Processing happens in the (compiled) worker, as in production.
  const worker = await startWorker(
    { ...partial, close: async () => undefined },
    { ...datasetsEnv, ...env },
  );
  return {
    app,
    config,
    namespace,
    options,
    url: `http://127.0.0.1:${address.port}`,
    http: () => request(app.getHttpServer()),
    objects: async (prefix) => {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: config.s3.bucket, Prefix: prefix }),
      );
      return (page.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : []));
    },
    close: async ({ keepData = false } = {}) => {
      await stopProcess(worker);
      await app.get(DatasetStorage).deletePrefix(options.storagePrefix);
      await app.close();
      rmSync(options.scratchDir, { recursive: true, force: true });
      if (!keepData) await dropDatabase(config.mongo.uri);
    },
  };
}
