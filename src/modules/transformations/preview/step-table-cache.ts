import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent } from '../../datasets/engine/formats';
import type { StepTables } from '../engine';

/** Rough in-memory bytes of one cell of a kept table (values, validity, string heaps). */
const BYTES_PER_CELL = 12;

interface Entry {
  readonly name: string;
  /** The sample (its table) the table was computed from. */
  readonly sample: string;
  readonly bytes: number;
  /** Previews using the table now: it is never dropped under them. */
  pins: number;
  /**
   * Its sample was forgotten: dropped when the last preview using it ends. It stays findable
   * until then, so previews still running on that sample share it instead of making it again.
   */
  doomed: boolean;
  ready: Promise<void>;
}

/** Forgotten samples remembered (their late tables are doomed at birth); a few are plenty. */
const FORGOTTEN_SAMPLES = 256;

/**
 * The previews' step tables (see {@link StepTables}) across all samples, within an estimated
 * memory budget: least recently used first out, never one a running preview holds. Tables live in
 * the previews' in-memory database, so every connection of it sees them.
 */
export class StepTableCache {
  /** By table name, least recently used first. */
  private readonly entries = new Map<string, Entry>();
  /** Samples forgotten, oldest first. */
  private readonly forgotten = new Set<string>();
  /**
   * Drops not yet finished, by table name: a table made again under the same name (its key came
   * back) waits for them, or the drop could remove the new table.
   */
  private readonly dropping = new Map<string, Promise<void>>();
  private bytes = 0;
  /** Table names asked for by earlier previews, most recent last (bounded). */
  private readonly asked = new Set<string>();

  constructor(
    private readonly budgetBytes: number,
    private readonly askedLimit = 4096,
  ) {}

  /**
   * The tables one preview of `sample` (the sample's table: unique per load) on `connection`
   * makes and reads; call `release` when it is done.
   */
  lease(connection: DuckDBConnection, sample: string, sampleRows: number): StepTableLease {
    return new StepTableLease(this, connection, sample, sampleRows);
  }

  /**
   * Forgets a sample's tables: returns those no preview holds, for the caller to drop; the others
   * are dropped when the last preview using them ends.
   */
  forget(sample: string): string[] {
    remember(this.forgotten, sample, FORGOTTEN_SAMPLES);
    const free: string[] = [];
    for (const entry of [...this.entries.values()]) {
      if (entry.sample !== sample) continue;
      if (entry.pins > 0) {
        entry.doomed = true;
      } else {
        this.remove(entry);
        free.push(entry.name);
      }
    }
    return free;
  }

  /** Drops `names` on `connection`, one after the other (a connection runs one query at a time). */
  async drop(connection: DuckDBConnection, names: string[]): Promise<void> {
    if (names.length === 0) return;
    const done = (async () => {
      for (const name of names) await connection.run(`DROP TABLE IF EXISTS ${quoteIdent(name)}`);
    })();
    for (const name of names) this.dropping.set(name, done);
    try {
      await done;
    } finally {
      for (const name of names) if (this.dropping.get(name) === done) this.dropping.delete(name);
    }
  }

  /** @internal whether an earlier preview asked for `name`; records this request. */
  askedBefore(name: string): boolean {
    return remember(this.asked, name, this.askedLimit);
  }

  /** @internal the kept entry called `name`, marked most recently used. */
  touch(name: string): Entry | undefined {
    const entry = this.entries.get(name);
    if (entry) {
      this.entries.delete(name);
      this.entries.set(name, entry);
    }
    return entry;
  }

  /** @internal a new entry, pinned once, whose table `create` makes. */
  add(name: string, sample: string, bytes: number, create: () => Promise<void>): Entry {
    const entry: Entry = {
      name,
      sample,
      bytes,
      pins: 1,
      doomed: this.forgotten.has(sample),
      ready: Promise.resolve(),
    };
    this.entries.set(name, entry);
    this.bytes += bytes;
    const dropping = this.dropping.get(name);
    entry.ready = (async () => {
      await dropping?.catch(() => undefined);
      await create();
    })().catch((error: unknown) => {
      this.remove(entry); // a failed table is never reused
      throw error;
    });
    return entry;
  }

  /** @internal unpins `held`; returns the tables to drop now (over budget or forgotten). */
  unpin(held: Iterable<Entry>): string[] {
    const drop: string[] = [];
    for (const entry of held) {
      entry.pins -= 1;
      if (entry.pins === 0 && entry.doomed && this.entries.get(entry.name) === entry) {
        this.remove(entry);
        drop.push(entry.name);
      }
    }
    for (const entry of [...this.entries.values()]) {
      if (this.bytes <= this.budgetBytes) break;
      if (entry.pins > 0) continue;
      this.remove(entry);
      drop.push(entry.name);
    }
    return drop;
  }

  private remove(entry: Entry): void {
    if (this.entries.get(entry.name) !== entry) return;
    this.entries.delete(entry.name);
    this.bytes -= entry.bytes;
  }
}

/**
 * Adds `value` to a set kept in order of last mention, dropping the oldest beyond `limit`;
 * returns whether it was there already.
 */
function remember(set: Set<string>, value: string, limit: number): boolean {
  const known = set.delete(value);
  set.add(value);
  if (set.size > limit) set.delete(set.values().next().value as string);
  return known;
}

/** {@link StepTables} for one preview: what it ensures stays until `release`. */
export class StepTableLease implements StepTables {
  private readonly held = new Set<Entry>();
  /** Table names by key, hashed once per preview. */
  private readonly names = new Map<string, string>();
  /** Names this preview asked for: later requests of the same preview do not count again. */
  private readonly asked = new Map<string, boolean>();

  constructor(
    private readonly cache: StepTableCache,
    private readonly connection: DuckDBConnection,
    private readonly sample: string,
    private readonly sampleRows: number,
  ) {}

  name(key: string): string {
    let name = this.names.get(key);
    if (name === undefined) {
      name = `preview_step_${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
      this.names.set(key, name);
    }
    return name;
  }

  askedBefore(key: string): boolean {
    const name = this.name(key);
    let before = this.asked.get(name);
    if (before === undefined) {
      before = this.cache.askedBefore(name);
      this.asked.set(name, before);
    }
    return before;
  }

  async use(key: string): Promise<boolean> {
    const entry = this.cache.touch(this.name(key));
    if (!entry) return false;
    this.hold(entry);
    return entry.ready.then(
      () => true,
      () => false, // its maker reports the error; this run makes it again
    );
  }

  async ensure(key: string, make: () => Promise<string>, columns: number): Promise<void> {
    const name = this.name(key);
    let entry = this.cache.touch(name);
    if (entry) {
      this.hold(entry);
    } else {
      // Steps never add rows, so the sample's row count bounds every table of it.
      entry = this.cache.add(
        name,
        this.sample,
        this.sampleRows * columns * BYTES_PER_CELL,
        async () => {
          const select = await make();
          await this.connection.run(`CREATE TABLE ${quoteIdent(name)} AS ${select}`);
        },
      );
      this.held.add(entry); // added pinned once, for this lease
    }
    await entry.ready;
  }

  private hold(entry: Entry): void {
    if (this.held.has(entry)) return;
    entry.pins += 1;
    this.held.add(entry);
  }

  /** Lets the tables go: those over the budget or forgotten are dropped now. */
  async release(): Promise<void> {
    const drop = this.cache.unpin(this.held);
    this.held.clear();
    await this.cache.drop(this.connection, drop);
  }
}
