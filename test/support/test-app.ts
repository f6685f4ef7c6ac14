import { randomBytes } from 'node:crypto';
import { Test } from '@nestjs/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { MongoClient } from 'mongodb';
import request from 'supertest';
import { AppModule } from 'src/app.module';
import { configureHttpApp } from 'src/app.factory';
import { createHttpAdapter } from 'src/core/http/http-adapter';
import { type AppConfig, APP_CONFIG, loadConfiguration } from 'src/core/config';
import { loadServiceEnv } from './service-env';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  /** Base URL of the listening server, e.g. http://127.0.0.1:41234 */
  url: string;
  /** A unique name for this app's database and Redis keys. */
  namespace: string;
  http: () => ReturnType<typeof request>;
  close: (options?: { keepData?: boolean }) => Promise<void>;
}

export function uniqueName(prefix = 't'): string {
  return `${prefix}${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

export function withDatabase(uri: string, database: string): string {
  const url = new URL(uri);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * Boots the real HTTP application (same middleware, guards, pipes and filter as production)
 * against the real local services, in a database and Redis keyspace of its own.
 */
export async function startTestApp(
  env: Record<string, string | undefined> = {},
  namespace = uniqueName(),
): Promise<TestApp> {
  loadServiceEnv();
  const config = loadConfiguration({
    ...process.env,
    APP_PROFILE: 'test',
    MONGODB_URI: withDatabase(process.env.MONGODB_URI!, namespace),
    REDIS_KEY_PREFIX: namespace,
    ...env,
  });
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
  return {
    app,
    config,
    namespace,
    url: `http://127.0.0.1:${address.port}`,
    http: () => request(app.getHttpServer()),
    close: async ({ keepData = false } = {}) => {
      await app.close();
      if (!keepData) await dropDatabase(config.mongo.uri);
    },
  };
}

export async function dropDatabase(uri: string): Promise<void> {
  const client = new MongoClient(uri);
  try {
    await client.connect();
    await client.db().dropDatabase();
  } finally {
    await client.close();
  }
}
