import type { Migration } from '../src/core/database/migration';

/** Job records and their logs: per-owner listing, unfinished counts, log paging, purging. */
export const jobsIndexes: Migration = {
  id: '0002-jobs-indexes',
  description: 'indexes for job records and job logs',
  async up(db) {
    await db
      .collection('jobs')
      .createIndex({ ownerId: 1, createdAt: -1 }, { name: 'owner_created' });
    await db.collection('jobs').createIndex({ ownerId: 1, state: 1 }, { name: 'owner_state' });
    await db
      .collection('jobs')
      .createIndex({ state: 1, finishedAt: 1 }, { name: 'state_finished' });
    await db.collection('job_logs').createIndex({ jobId: 1, at: 1 }, { name: 'job_time' });
  },
  async down(db) {
    await db.collection('jobs').dropIndex('owner_created');
    await db.collection('jobs').dropIndex('owner_state');
    await db.collection('jobs').dropIndex('state_finished');
    await db.collection('job_logs').dropIndex('job_time');
  },
};
