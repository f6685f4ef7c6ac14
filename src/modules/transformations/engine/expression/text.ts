import { LOWER_EXCEPTIONS, UPPER_EXCEPTIONS } from './case-exceptions';

/**
 * String semantics of DuckDB, for the TypeScript evaluator. DuckDB works on UTF-8 bytes and
 * utf8proc; JavaScript on UTF-16 and ICU, so each function below states what it mirrors.
 */

/** Orders by code point like DuckDB's byte-wise UTF-8 comparison (plain `<` orders by UTF-16 unit). */
export function compareStrings(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Surrogates (code points above U+FFFF) must sort after U+E000..U+FFFF. */
function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

/** DuckDB's length(): code points, not UTF-16 units nor graphemes. */
export function codePointLength(value: string): number {
  let count = 0;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit < 0xdc00 || unit > 0xdfff) count++;
  }
  return count;
}

const EDGE_SPACES = /^\p{Zs}+|\p{Zs}+$/gu;

/** DuckDB's trim(): removes space separators (Unicode Zs) only, so tabs and newlines stay. */
export function trimSpaces(value: string): string {
  return value.replace(EDGE_SPACES, '');
}

/**
 * DuckDB's lower()/upper() map each code point on its own (utf8proc's simple case mapping), where
 * String#toLowerCase applies context and multi-character rules ('ß' → 'SS', final sigma). Code
 * points whose single-character JavaScript mapping still differs are listed in case-exceptions.ts.
 */
export function lowerCase(value: string): string {
  return mapCase(value, LOWER_EXCEPTIONS, (ch) => ch.toLowerCase());
}

export function upperCase(value: string): string {
  return mapCase(value, UPPER_EXCEPTIONS, (ch) => ch.toUpperCase());
}

// Fast path: ASCII case mapping is the same in both worlds.
const ASCII = /^[^\u0080-\u{10ffff}]*$/u;

function mapCase(
  value: string,
  exceptions: ReadonlyMap<number, string>,
  map: (ch: string) => string,
): string {
  if (ASCII.test(value)) return map(value);
  let result = '';
  for (const ch of value) {
    result += exceptions.get(ch.codePointAt(0) ?? 0) ?? map(ch);
  }
  return result;
}
