import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The backing services tests talk to: the environment when set (CI, the test command), else what
 * `scripts/services/services.sh up` wrote to .data/services.env.
 */
export function loadServiceEnv(): void {
  const file = join(__dirname, '..', '..', '.data', 'services.env');
  if (!existsSync(file)) return;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^export ([A-Z0-9_]+)='(.*)'$/.exec(line.trim());
    if (match && process.env[match[1]] === undefined) process.env[match[1]] = match[2];
  }
}
