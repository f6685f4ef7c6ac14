import type { Migration } from '../src/core/database/migration';
import { authAndAuditIndexes } from './0001-auth-and-audit-indexes';
import { jobsIndexes } from './0002-jobs-indexes';
import { codeSecurityIndexes } from './0003-code-security';
import { datasetsIndexes } from './0004-datasets';
import { transformationsIndexes } from './0005-transformations';

/** Every migration, in the order it is applied. Append new ones; never reorder or edit applied ones. */
export const MIGRATIONS: readonly Migration[] = [
  authAndAuditIndexes,
  jobsIndexes,
  codeSecurityIndexes,
  datasetsIndexes,
  transformationsIndexes,
];
