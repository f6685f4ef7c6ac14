import { MongoClient } from 'mongodb';
import { Test } from '@nestjs/testing';
import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfigModule, loadConfiguration } from 'src/core/config';
import { DatabaseModule, MigrationRunner } from 'src/core/database';
import { MIGRATIONS } from '../../migrations';
import { loadServiceEnv } from '../support/service-env';
import { dropDatabase, uniqueName, withDatabase } from '../support/test-app';

@Module({ imports: [AppConfigModule, DatabaseModule] })
class MigrationTestModule {}

async function runner(uri: string) {
  const moduleRef = await Test.createTestingModule({ imports: [MigrationTestModule] })
    .overrideProvider(APP_CONFIG)
    .useValue(loadConfiguration({ ...process.env, APP_PROFILE: 'test', MONGODB_URI: uri }))
    .compile();
  await moduleRef.init();
  return { migrations: moduleRef.get(MigrationRunner), close: () => moduleRef.close() };
}

async function indexNames(uri: string, collection: string): Promise<string[]> {
  const client = await MongoClient.connect(uri);
  try {
    const indexes = await client
      .db()
      .collection(collection)
      .indexes()
      .catch(() => []);
    return indexes.map((index) => String(index.name)).sort();
  } finally {
    await client.close();
  }
}

describe('migrations', () => {
  loadServiceEnv();
  const uri = withDatabase(process.env.MONGODB_URI!, uniqueName('mig'));

  afterAll(async () => {
    await dropDatabase(uri);
  });

  it('should apply every migration once even when three processes start together', async () => {
    const instances = await Promise.all([runner(uri), runner(uri), runner(uri)]);
    try {
      const results = await Promise.all(instances.map(({ migrations }) => migrations.up()));
      const applied = results.flat();
      expect(applied.sort()).toEqual(MIGRATIONS.map((m) => m.id).sort());
      expect(await instances[0].migrations.applied()).toEqual(MIGRATIONS.map((m) => m.id));
      expect(await indexNames(uri, 'users')).toContain('email_unique');
    } finally {
      await Promise.all(instances.map(({ close }) => close()));
    }
  });

  it('should run down and up again cleanly', async () => {
    const { migrations, close } = await runner(uri);
    try {
      const reverted = await migrations.down(Number.POSITIVE_INFINITY);
      expect(reverted).toEqual(MIGRATIONS.map((m) => m.id).reverse());
      expect(await migrations.applied()).toEqual([]);
      expect(await indexNames(uri, 'users')).not.toContain('email_unique');
      expect(await migrations.up()).toEqual(MIGRATIONS.map((m) => m.id));
      expect(await indexNames(uri, 'users')).toContain('email_unique');
      expect(await migrations.up()).toEqual([]);
    } finally {
      await close();
    }
  });
});
