import type { Migration } from '../src/core/database/migration';

/** Datasets and their versions: owner-scoped lists, version numbering, duplicate lookups. */
export const datasetsIndexes: Migration = {
  id: '0004-datasets',
  description: 'indexes for datasets and dataset versions',
  async up(db) {
    await db
      .collection('datasets')
      .createIndex({ ownerId: 1, createdAt: -1 }, { name: 'owner_created' });
    await db.collection('datasets').createIndex({ ownerId: 1, name: 1 }, { name: 'owner_name' });
    await db
      .collection('dataset_versions')
      .createIndex({ datasetId: 1, number: 1 }, { unique: true, name: 'dataset_number_unique' });
    await db.collection('dataset_versions').createIndex({ parentVersionId: 1 }, { name: 'parent' });
    await db
      .collection('dataset_versions')
      .createIndex({ ownerId: 1, 'source.sha256': 1 }, { name: 'owner_source_sha256' });
    await db
      .collection('dataset_versions')
      .createIndex({ ownerId: 1, contentHash: 1 }, { name: 'owner_content_hash' });
  },
  async down(db) {
    await db.collection('datasets').dropIndex('owner_created');
    await db.collection('datasets').dropIndex('owner_name');
    await db.collection('dataset_versions').dropIndex('dataset_number_unique');
    await db.collection('dataset_versions').dropIndex('parent');
    await db.collection('dataset_versions').dropIndex('owner_source_sha256');
    await db.collection('dataset_versions').dropIndex('owner_content_hash');
  },
};
