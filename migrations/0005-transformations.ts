import type { Migration } from '../src/core/database/migration';

const INDEXES: {
  collection: string;
  keys: Record<string, 1 | -1>;
  name: string;
  unique?: boolean;
}[] = [
  // Applying the same pipeline to the same version again finds the existing run (atomic on both
  // MongoDB and FerretDB because it is an insert into a unique index).
  {
    collection: 'transformation_runs',
    keys: { parentVersionId: 1, pipelineHash: 1 },
    name: 'parent_pipeline_unique',
    unique: true,
  },
  { collection: 'transformation_runs', keys: { ownerId: 1, createdAt: -1 }, name: 'owner_time' },
  {
    collection: 'transformation_runs',
    keys: { datasetId: 1, createdAt: -1 },
    name: 'dataset_time',
  },
  { collection: 'recipes', keys: { ownerId: 1, name: 1 }, name: 'owner_name_unique', unique: true },
  { collection: 'recipes', keys: { ownerId: 1, updatedAt: -1 }, name: 'owner_updated' },
  { collection: 'recipes', keys: { sharedWith: 1, updatedAt: -1 }, name: 'shared_updated' },
  { collection: 'recipes', keys: { public: 1, updatedAt: -1 }, name: 'public_updated' },
  {
    collection: 'recipe_versions',
    keys: { recipeId: 1, version: 1 },
    name: 'recipe_version_unique',
    unique: true,
  },
  {
    collection: 'lineage_reproductions',
    keys: { datasetId: 1, createdAt: -1 },
    name: 'dataset_time',
  },
];

/** Transformation runs (deduplicated by pipeline hash), recipes and their versions, reproductions. */
export const transformationsIndexes: Migration = {
  id: '0005-transformations',
  description: 'indexes for transformation runs, recipes and lineage reproductions',
  async up(db) {
    for (const index of INDEXES) {
      await db
        .collection(index.collection)
        .createIndex(index.keys, { name: index.name, unique: index.unique ?? false });
    }
  },
  async down(db) {
    for (const index of INDEXES) await db.collection(index.collection).dropIndex(index.name);
  },
};
