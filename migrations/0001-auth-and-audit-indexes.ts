import type { Migration } from '../src/core/database/migration';

/** Users, tokens, API keys and the audit log: the indexes their queries and guarantees rely on. */
export const authAndAuditIndexes: Migration = {
  id: '0001-auth-and-audit-indexes',
  description: 'indexes for users, refresh tokens, API keys and audit events',
  async up(db) {
    await db.collection('users').createIndex({ email: 1 }, { unique: true, name: 'email_unique' });
    await db
      .collection('refresh_tokens')
      .createIndex({ tokenHash: 1 }, { unique: true, name: 'token_hash_unique' });
    await db.collection('refresh_tokens').createIndex({ familyId: 1 }, { name: 'family' });
    await db.collection('refresh_tokens').createIndex({ expiresAt: 1 }, { name: 'expires_at' });
    await db.collection('token_families').createIndex({ userId: 1 }, { name: 'user' });
    await db
      .collection('api_keys')
      .createIndex({ keyHash: 1 }, { unique: true, name: 'key_hash_unique' });
    await db.collection('api_keys').createIndex({ ownerId: 1, createdAt: -1 }, { name: 'owner' });
    await db.collection('audit_events').createIndex({ userId: 1, at: -1 }, { name: 'user_time' });
    await db.collection('audit_events').createIndex({ at: -1 }, { name: 'time' });
  },
  async down(db) {
    await db.collection('users').dropIndex('email_unique');
    await db.collection('refresh_tokens').dropIndex('token_hash_unique');
    await db.collection('refresh_tokens').dropIndex('family');
    await db.collection('refresh_tokens').dropIndex('expires_at');
    await db.collection('token_families').dropIndex('user');
    await db.collection('api_keys').dropIndex('key_hash_unique');
    await db.collection('api_keys').dropIndex('owner');
    await db.collection('audit_events').dropIndex('user_time');
    await db.collection('audit_events').dropIndex('time');
  },
};
