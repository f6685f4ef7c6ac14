import { quoteIdent } from '../../datasets/engine/formats';
import { baseSql } from './pipeline-sql';
import type { SourceRelation } from './source';
import { stepSql } from './step-sql';
import type { FittedStep } from './steps';
import type { ColumnSchema } from './values';

/**
 * Where the table after a prefix of a pipeline can be kept between runs (a preview's sample). With
 * it, the results that queries read (the input of each learning step, the counted steps, the end
 * result) are materialised once, and fitting, counting rows and reading the first rows are short
 * queries over one table instead of a chain of common table expressions that DuckDB plans again
 * for every query (planning the chain was most of a small preview's time). The implementation
 * owns the tables' lifetime and bounds.
 */
export interface StepTables {
  /** The table name for `key` (stable: the same key always gives the same name). */
  name(key: string): string;
  /** True, and the table kept for this run, when `name(key)` exists (or is being made). */
  use(key: string): Promise<boolean>;
  /**
   * Makes sure table `name(key)` exists, creating it from the SELECT `make` returns when it does
   * not; `columns` is its width, for the implementation's memory estimate.
   */
  ensure(key: string, make: () => Promise<string>, columns: number): Promise<void>;
}

/**
 * The tables t0 (the source with the row-order column) … tN (after step N-1) of one fitted
 * pipeline, made on demand through {@link StepTables}. A table that is asked for is made from
 * the nearest kept table before it, with the steps in between inlined as subqueries: steps whose
 * result no query reads are never materialised.
 */
export class StepRelations {
  constructor(
    private readonly tables: StepTables,
    private readonly source: SourceRelation,
    private readonly input: ColumnSchema[],
    /** Grows while a pipeline is being fitted: the tables after the steps fitted so far. */
    private readonly fitted: readonly FittedStep[],
  ) {}

  /** The quoted name of the table after the first `at` steps (made by `ensure`). */
  relation(at: number): string {
    return quoteIdent(this.tables.name(this.key(at)));
  }

  /** Makes the table after the first `at` steps exist; returns its quoted name. */
  async ensure(at: number): Promise<string> {
    await this.tables.ensure(this.key(at), () => this.select(at), this.schema(at).length + 1);
    return this.relation(at);
  }

  /** The kept table after `at` steps, or a subquery computing it from the nearest kept one. */
  private async from(at: number): Promise<string> {
    if (await this.tables.use(this.key(at))) return this.relation(at);
    return `(${await this.select(at)}) AS ${quoteIdent(`t${at}`)}`;
  }

  private async select(at: number): Promise<string> {
    if (at === 0) return baseSql(this.source, this.input);
    return stepSql(this.fitted[at - 1], this.schema(at - 1), await this.from(at - 1));
  }

  private schema(at: number): ColumnSchema[] {
    return at === 0 ? this.input : this.fitted[at - 1].output;
  }

  /** What the table after `at` steps holds: the source, its columns and the fitted steps so far. */
  private key(at: number): string {
    return JSON.stringify([this.source.sql, this.input, this.fitted.slice(0, at)]);
  }
}
