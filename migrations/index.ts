import type { Migration } from '../src/core/database/migration';
import { authAndAuditIndexes } from './0001-auth-and-audit-indexes';

/** Every migration, in the order it is applied. Append new ones; never reorder or edit applied ones. */
export const MIGRATIONS: readonly Migration[] = [authAndAuditIndexes];
