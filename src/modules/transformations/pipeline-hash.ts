import { createHash } from 'node:crypto';
import type { Step } from './engine';

/** JSON with object keys sorted, so equal pipelines serialise (and hash) equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Identity of a pipeline: sha256 of its validated steps in canonical JSON. The same steps applied
 * to the same version have the same hash, however the request spelled them (key order).
 */
export function pipelineHash(steps: Step[]): string {
  return createHash('sha256').update(canonicalJson(steps)).digest('hex');
}
