/**
 * Column-major numeric table over typed arrays. Missing values are NaN in numeric
 * columns and -1 in categorical code columns. Columns are stored separately so a
 * learner can bin, scan or gather one feature without touching the others.
 */
export type ColumnKind = 'numeric' | 'categorical';

export interface NumericColumn {
  readonly kind: 'numeric';
  readonly name: string;
  readonly values: Float64Array;
}

export interface CategoricalColumn {
  readonly kind: 'categorical';
  readonly name: string;
  /** Integer codes 0..levels.length-1, or -1 for missing. */
  readonly codes: Int32Array;
  readonly levels: readonly string[];
}

export type Column = NumericColumn | CategoricalColumn;

export const MISSING_CODE = -1;

export class DataMatrix {
  readonly nRows: number;

  constructor(readonly columns: readonly Column[]) {
    this.nRows = columns.length === 0 ? 0 : columnLength(columns[0]);
    for (const column of columns) {
      if (columnLength(column) !== this.nRows) {
        throw new RangeError(
          `column "${column.name}" has ${columnLength(column)} rows, expected ${this.nRows}`,
        );
      }
    }
  }

  get nCols(): number {
    return this.columns.length;
  }

  get names(): string[] {
    return this.columns.map((column) => column.name);
  }

  /** Builds an all-numeric matrix from row-major data (convenient for tests and small inputs). */
  static fromRows(rows: readonly (readonly number[])[], names?: readonly string[]): DataMatrix {
    const nCols = rows.length === 0 ? (names?.length ?? 0) : rows[0].length;
    const columns: NumericColumn[] = [];
    for (let j = 0; j < nCols; j++) {
      const values = new Float64Array(rows.length);
      for (let i = 0; i < rows.length; i++) values[i] = rows[i][j];
      columns.push({ kind: 'numeric', name: names?.[j] ?? `x${j}`, values });
    }
    return new DataMatrix(columns);
  }

  /** A matrix of the given rows, in the given order (used for folds and bootstraps). */
  takeRows(indices: ArrayLike<number>): DataMatrix {
    return new DataMatrix(
      this.columns.map((column): Column => {
        if (column.kind === 'numeric') {
          const values = new Float64Array(indices.length);
          for (let i = 0; i < indices.length; i++) values[i] = column.values[indices[i]];
          return { kind: 'numeric', name: column.name, values };
        }
        const codes = new Int32Array(indices.length);
        for (let i = 0; i < indices.length; i++) codes[i] = column.codes[indices[i]];
        return { kind: 'categorical', name: column.name, codes, levels: column.levels };
      }),
    );
  }

  /** Value of a cell as a number: the code for categoricals (NaN when missing). */
  get(row: number, col: number): number {
    const column = this.columns[col];
    if (column.kind === 'numeric') return column.values[row];
    const code = column.codes[row];
    return code === MISSING_CODE ? Number.NaN : code;
  }
}

function columnLength(column: Column): number {
  return column.kind === 'numeric' ? column.values.length : column.codes.length;
}
