import { quoteIdent } from '../../datasets/engine/formats';
import { baseSql } from './pipeline-sql';
import type { SourceRelation } from './source';
import { stepSql } from './step-sql';
import type { FittedStep } from './steps';
import type { ColumnSchema } from './values';

/**
 * Where the table after a prefix of a pipeline can be kept between runs (a preview's sample). With
 * it, fitting, counting rows and reading the first rows are short queries over a kept table and
 * a few inlined steps, instead of a chain of common table expressions over the whole pipeline
 * that DuckDB plans again for every query (planning the chain was most of a small preview's
 * time). The implementation owns the tables' lifetime and bounds.
 */
export interface StepTables {
  /** The table name for `key` (stable: the same key always gives the same name). */
  name(key: string): string;
  /** True, and the table kept for this run, when `name(key)` exists (or is being made). */
  use(key: string): Promise<boolean>;
  /**
   * True when an earlier run asked for `key` too (a table is worth keeping when it is read
   * again); records the request. Several requests of one run count once.
   */
  askedBefore(key: string): boolean;
  /**
   * Makes sure table `name(key)` exists, creating it from the SELECT `make` returns when it does
   * not; `columns` is its width, for the implementation's memory estimate.
   */
  ensure(key: string, make: () => Promise<string>, columns: number): Promise<void>;
}

/**
 * At most this many steps run inlined in one query before their result is kept as a table, once
 * it is asked for a second time. Keeping a table of ~30 columns costs 6–8 ms on 10,000 rows,
 * reading one is no faster than recomputing a cheap step, and planning costs ≈ 1.3 ms per
 * inlined step; on the benchmark's 6-step pipeline 4 gave the best edited and cold previews (2,
 * 3, 5 and 6 were 10–20 ms slower on one or the other; 0 keeps every step and doubles the cold
 * preview).
 */
export const MAX_INLINED_STEPS = 4;

/**
 * The relations t0 (the source with the row-order column) … tN (after step N-1) of one fitted
 * pipeline, through {@link StepTables}: a kept table when there is one, else a subquery from the
 * nearest kept table before it, made into a kept table itself when it would inline more than
 * `maxInlined` steps and an earlier preview asked for it too (a pipeline previewed once, or whose
 * early steps change every time, is never worth materialising). An edited pipeline thus reuses
 * the tables before the edit and recomputes a few steps per query.
 */
export class StepRelations {
  /** key(at) by `at`: a fitted prefix never changes, and a preview asks for each many times. */
  private readonly keys = new Map<number, string>();

  constructor(
    private readonly tables: StepTables,
    private readonly source: SourceRelation,
    private readonly input: ColumnSchema[],
    /** Grows while a pipeline is being fitted: the tables after the steps fitted so far. */
    private readonly fitted: readonly FittedStep[],
    private readonly maxInlined = MAX_INLINED_STEPS,
  ) {}

  /** A relation for FROM holding the table after the first `at` steps. */
  async from(at: number): Promise<string> {
    return (await this.resolve(at)).sql;
  }

  private async resolve(at: number): Promise<{ sql: string; inlined: number }> {
    const key = this.key(at);
    const table = quoteIdent(this.tables.name(key));
    if (await this.tables.use(key)) return { sql: table, inlined: 0 };
    let select: string;
    let inlined = 1;
    if (at === 0) {
      select = baseSql(this.source, this.input);
    } else {
      const before = await this.resolve(at - 1);
      select = stepSql(this.fitted[at - 1], this.schema(at - 1), before.sql);
      inlined += before.inlined;
    }
    if (inlined > this.maxInlined && this.tables.askedBefore(key)) {
      await this.tables.ensure(key, () => Promise.resolve(select), this.schema(at).length + 1);
      return { sql: table, inlined: 0 };
    }
    return { sql: `(${select}) AS ${quoteIdent(`t${at}`)}`, inlined };
  }

  private schema(at: number): ColumnSchema[] {
    return at === 0 ? this.input : this.fitted[at - 1].output;
  }

  /** What the table after `at` steps holds: the source, its columns and the fitted steps so far. */
  private key(at: number): string {
    let key = this.keys.get(at);
    if (key === undefined) {
      key = JSON.stringify([this.source.sql, this.input, this.fitted.slice(0, at)]);
      this.keys.set(at, key);
    }
    return key;
  }
}
