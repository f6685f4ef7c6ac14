import type { StepIssue } from './errors';

/**
 * Reads one step's `params` object field by field, collecting issues (with the step index and the
 * field path) instead of stopping at the first, and rejecting fields the step does not know.
 */
export class ParamsReader {
  private readonly seen = new Set<string>();

  constructor(
    private readonly params: Record<string, unknown>,
    readonly step: number,
    readonly issues: StepIssue[],
  ) {}

  issue(field: string, message: string): void {
    this.issues.push({ step: this.step, field, message });
  }

  has(field: string): boolean {
    return this.params[field] !== undefined;
  }

  raw(field: string): unknown {
    this.seen.add(field);
    return this.params[field];
  }

  /** Reports every field this reader was never asked about. */
  rejectUnknown(): void {
    for (const key of Object.keys(this.params)) {
      if (!this.seen.has(key)) this.issue(key, `unknown parameter '${key}' for this step`);
    }
  }

  string(field: string): string | undefined {
    const value = this.raw(field);
    if (typeof value !== 'string' || value.length === 0) {
      this.issue(field, value === undefined ? 'is required' : 'must be a non-empty string');
      return undefined;
    }
    return value;
  }

  oneOf<T extends string>(field: string, allowed: readonly T[]): T | undefined {
    const value = this.raw(field);
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.issue(
        field,
        `${value === undefined ? 'is required' : 'is not valid'}: one of ${allowed.join(', ')}`,
      );
      return undefined;
    }
    return value as T;
  }

  /** A finite number within [min, max]; `integer` demands a whole number. */
  number(
    field: string,
    options: { min?: number; max?: number; integer?: boolean; optional?: boolean } = {},
  ): number | undefined {
    const value = this.raw(field);
    if (value === undefined && options.optional) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.issue(field, value === undefined ? 'is required' : 'must be a finite number');
      return undefined;
    }
    if (options.integer && !Number.isInteger(value)) {
      this.issue(field, 'must be a whole number');
      return undefined;
    }
    if (options.min !== undefined && value < options.min) {
      this.issue(field, `must be at least ${options.min}`);
      return undefined;
    }
    if (options.max !== undefined && value > options.max) {
      this.issue(field, `must be at most ${options.max}`);
      return undefined;
    }
    return value;
  }

  boolean(field: string): boolean | undefined {
    const value = this.raw(field);
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') {
      this.issue(field, 'must be true or false');
      return undefined;
    }
    return value;
  }

  /** A non-empty list of distinct non-empty strings. */
  stringList(field: string, options: { optional?: boolean } = {}): string[] | undefined {
    const value = this.raw(field);
    if (value === undefined && options.optional) return undefined;
    if (!Array.isArray(value) || value.length === 0) {
      this.issue(field, value === undefined ? 'is required' : 'must be a non-empty list');
      return undefined;
    }
    const seen = new Set<string>();
    let ok = true;
    value.forEach((item, i) => {
      if (typeof item !== 'string' || item.length === 0) {
        this.issue(`${field}[${i}]`, 'must be a non-empty string');
        ok = false;
      } else if (seen.has(item)) {
        this.issue(`${field}[${i}]`, `'${item}' is listed twice`);
        ok = false;
      } else seen.add(item);
    });
    return ok ? (value as string[]) : undefined;
  }

  /** Reports a field that this configuration of the step does not use. */
  forbid(field: string, why: string): void {
    if (this.raw(field) !== undefined) this.issue(field, `not used ${why}`);
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
