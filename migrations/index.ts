import type { Migration } from '../src/core/database/migration';
import { authAndAuditIndexes } from './0001-auth-and-audit-indexes';
import { jobsIndexes } from './0002-jobs-indexes';
import { datasetsIndexes } from './0004-datasets';
import { codeSecurityIndexes } from './0003-code-security';

/** Every migration, in the order it is applied. Append new ones; never reorder or edit applied ones. */
export const MIGRATIONS: readonly Migration[] = [authAndAuditIndexes, jobsIndexes, datasetsIndexes, codeSecurityIndexes];
