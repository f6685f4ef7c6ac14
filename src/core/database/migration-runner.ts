import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Db, MongoServerError } from 'mongodb';
import type { Connection } from 'mongoose';
import { MIGRATIONS } from '../../../migrations';
import type { Migration } from './migration';

const APPLIED = 'migrations';
const LOCK = 'migration_locks';
const LOCK_ID = 'migrations';
/** A lock older than this is from a crashed process and may be broken. */
const LOCK_STALE_MS = 5 * 60 * 1000;
const LOCK_POLL_MS = 200;

interface LockDocument {
  _id: string;
  owner: string;
  acquiredAt: Date;
}

interface AppliedDocument {
  _id: string;
  description: string;
  appliedAt: Date;
}

export function isDuplicateKeyError(error: unknown): boolean {
  // 11000 on MongoDB and on FerretDB inserts; FerretDB reports code 1 on updates (FERRETDB.md).
  const code = (error as MongoServerError | undefined)?.code;
  return code === 11000 || code === 11001;
}

/**
 * Applies migrations/ in order, each once, even when several processes start together: the lock
 * is an insert into the `_id` unique index, atomic on MongoDB and FerretDB alike.
 */
@Injectable()
export class MigrationRunner {
  private readonly logger = new Logger(MigrationRunner.name);

  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get db(): Db {
    const db = this.connection.db;
    if (!db) throw new Error('MongoDB connection is not open');
    return db;
  }

  async applied(): Promise<string[]> {
    const docs = await this.db
      .collection<AppliedDocument>(APPLIED)
      .find()
      .sort({ _id: 1 })
      .toArray();
    return docs.map((doc) => doc._id);
  }

  async up(migrations: readonly Migration[] = MIGRATIONS): Promise<string[]> {
    return this.withLock(async () => {
      const done = new Set(await this.applied());
      const ran: string[] = [];
      for (const migration of migrations) {
        if (done.has(migration.id)) continue;
        this.logger.log(`applying migration ${migration.id}: ${migration.description}`);
        await migration.up(this.db);
        await this.db.collection<AppliedDocument>(APPLIED).insertOne({
          _id: migration.id,
          description: migration.description,
          appliedAt: new Date(),
        });
        ran.push(migration.id);
      }
      return ran;
    });
  }

  /** Reverts the last `steps` applied migrations (all of them with `Infinity`). */
  async down(steps = 1, migrations: readonly Migration[] = MIGRATIONS): Promise<string[]> {
    return this.withLock(async () => {
      const done = await this.applied();
      const reverted: string[] = [];
      for (const id of done.reverse().slice(0, steps)) {
        const migration = migrations.find((candidate) => candidate.id === id);
        if (!migration) throw new Error(`applied migration ${id} is not in migrations/`);
        this.logger.log(`reverting migration ${id}`);
        await migration.down(this.db);
        await this.db.collection<AppliedDocument>(APPLIED).deleteOne({ _id: id });
        reverted.push(id);
      }
      return reverted;
    });
  }

  private async withLock<T>(work: () => Promise<T>): Promise<T> {
    const owner = randomUUID();
    const locks = this.db.collection<LockDocument>(LOCK);
    for (;;) {
      try {
        await locks.insertOne({ _id: LOCK_ID, owner, acquiredAt: new Date() });
        break;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        const held = await locks.findOne({ _id: LOCK_ID });
        if (held && Date.now() - held.acquiredAt.getTime() > LOCK_STALE_MS) {
          this.logger.warn(`breaking stale migration lock held by ${held.owner}`);
          await locks.deleteOne({ _id: LOCK_ID, owner: held.owner });
          continue;
        }
        await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
      }
    }
    try {
      return await work();
    } finally {
      await locks.deleteOne({ _id: LOCK_ID, owner });
    }
  }
}
