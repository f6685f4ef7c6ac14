/** The data a pipeline reads: any FROM-able relation, in the dataset's row order. */
export interface SourceRelation {
  /** e.g. "read_parquet('/x.parquet', file_row_number = true)". */
  sql: string;
  /**
   * A BIGINT column of the relation giving the row order (e.g. 'file_row_number'). Without it the
   * engine numbers rows with row_number() OVER (), which follows the relation's scan order.
   */
  ordered?: string;
}
