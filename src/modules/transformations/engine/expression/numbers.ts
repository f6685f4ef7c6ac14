/**
 * Number semantics shared by the TypeScript evaluator, each mirroring what the SQL built beside it
 * makes DuckDB do.
 */

/** Arithmetic that overflows or divides by zero gives null (the SQL filters with isfinite). */
export function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/**
 * C's round(): halves go away from zero (DuckDB's round on DOUBLE), unlike Math.round, and the
 * sign of zero is kept (round(-0.4) is -0.0, which concat() shows).
 */
export function roundHalfAwayFromZero(value: number): number {
  const rounded = Math.round(Math.abs(value));
  return value < 0 || Object.is(value, -0) ? -rounded : rounded;
}

// Written out rather than computed, so every power is the exact double DuckDB's std::pow gives.
const POWERS_OF_TEN = [
  1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
  1e18, 1e19, 1e20,
];
export const MAX_ROUND_DIGITS = POWERS_OF_TEN.length - 1;

/** DuckDB's RoundOperatorPrecision for DOUBLE (extension/core_functions/scalar/math/numeric.cpp). */
export function roundToDigits(value: number, digits: number): number {
  if (digits < 0) {
    const modifier = POWERS_OF_TEN[-digits];
    const rounded = roundHalfAwayFromZero(value / modifier) * modifier;
    return Number.isFinite(rounded) ? rounded : 0;
  }
  const modifier = POWERS_OF_TEN[digits];
  const rounded = roundHalfAwayFromZero(value * modifier) / modifier;
  return Number.isFinite(rounded) ? rounded : value;
}

/**
 * A DOUBLE as DuckDB casts it to VARCHAR: the shortest round-trip digits, in exponent form when
 * the decimal exponent is below -4 or at least 16 ('1e-05', '1.5e+16'), else fixed with at least
 * one decimal ('1.0', '0.0001', '1000000000000000.0').
 */
export function formatDouble(value: number): string {
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
  const sign = value < 0 ? '-' : '';
  const [mantissa, exponentText] = Math.abs(value).toExponential().split('e');
  const exponent = Number(exponentText);
  const digits = mantissa.replace('.', '');
  if (exponent < -4 || exponent >= 16) {
    const body = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const magnitude = String(Math.abs(exponent)).padStart(2, '0');
    return `${sign}${body}e${exponent < 0 ? '-' : '+'}${magnitude}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  if (digits.length <= exponent + 1) {
    return `${sign}${digits}${'0'.repeat(exponent + 1 - digits.length)}.0`;
  }
  return `${sign}${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
}
