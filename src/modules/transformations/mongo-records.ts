import type { Types } from 'mongoose';

/** A lean MongoDB document with an ObjectId `_id`, as the repositories read it. */
export type Lean<T> = T & { _id: Types.ObjectId };

/** A stored document with its id as a hex string, as services see it. */
export type WithId<T> = T & { id: string };

export function withId<T>({ _id, ...rest }: Lean<T>): WithId<T> {
  return { id: _id.toHexString(), ...(rest as T) };
}

/** Duplicate key: 11000 on inserts (both databases), 1 on FerretDB updates (FERRETDB.md). */
export function isDuplicateKey(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 11000 || code === 1;
}
