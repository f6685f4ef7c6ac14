import type { Db } from 'mongodb';

/** A versioned, reversible change to the database. Ids sort in application order. */
export interface Migration {
  id: string;
  description: string;
  up(db: Db): Promise<void>;
  down(db: Db): Promise<void>;
}
