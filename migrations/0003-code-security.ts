import type { Migration } from '../src/core/database/migration';

/** Code executions: listed newest first per owner (users) and overall (admins). */
export const codeSecurityIndexes: Migration = {
  id: '0003-code-security',
  description: 'indexes for code executions',
  async up(db) {
    await db
      .collection('code_executions')
      .createIndex({ ownerId: 1, createdAt: -1 }, { name: 'owner_time' });
    await db.collection('code_executions').createIndex({ createdAt: -1 }, { name: 'time' });
  },
  async down(db) {
    await db.collection('code_executions').dropIndex('owner_time');
    await db.collection('code_executions').dropIndex('time');
  },
};
