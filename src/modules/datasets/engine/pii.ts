import { isIP } from 'node:net';

export const PII_KINDS = [
  'email',
  'phone',
  'card-number',
  'iban',
  'ip-address',
  'national-id',
] as const;
export type PiiKind = (typeof PII_KINDS)[number];

export interface PiiMatch {
  kind: PiiKind;
  /** Share (0–1) of the sampled non-missing values that match. */
  share: number;
  sampled: number;
}

/** A column is flagged when at least this share of its sampled values match one kind. */
export const PII_MIN_SHARE = 0.5;

const EMAIL = /^[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/;
const PHONE = /^\+?[0-9(][0-9 ().-]{5,18}[0-9]$/;
const CARD = /^[0-9][0-9 -]{11,21}[0-9]$/;
const IBAN = /^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/;
// US social security number and UK national insurance number shapes.
const SSN = /^(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}$/;
const NINO =
  /^(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]$/i;

/** Luhn checksum (ISO/IEC 7812-1), used by payment card numbers. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i -= 1) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** IBAN check digits (ISO 13616): the rearranged number mod 97 is 1. */
export function ibanValid(value: string): boolean {
  const iban = value.replace(/\s+/g, '').toUpperCase();
  if (!IBAN.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const code = char.charCodeAt(0);
    const digits = code >= 65 ? String(code - 55) : char;
    for (const digit of digits) remainder = (remainder * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return remainder === 1;
}

/** The kind of personal data one value looks like, if any. */
export function classifyValue(raw: string): PiiKind | undefined {
  const value = raw.trim();
  if (value.length < 6 || value.length > 64) return undefined;
  if (EMAIL.test(value)) return 'email';
  if (isIP(value) !== 0) return 'ip-address';
  if (ibanValid(value)) return 'iban';
  if (SSN.test(value) || NINO.test(value)) return 'national-id';
  if (CARD.test(value)) {
    const digits = value.replace(/[ -]/g, '');
    if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits)) return 'card-number';
  }
  if (PHONE.test(value)) {
    const digits = value.replace(/\D/g, '');
    // Plain numbers are numbers, not phones: ask for a + or separators.
    if (digits.length >= 7 && digits.length <= 15 && /[+ ().-]/.test(value)) return 'phone';
  }
  return undefined;
}

/** The dominant kind of personal data in a sample of a column's values, when above PII_MIN_SHARE. */
export function detectPii(values: string[]): PiiMatch | undefined {
  if (values.length === 0) return undefined;
  const counts = new Map<PiiKind, number>();
  for (const value of values) {
    const kind = classifyValue(value);
    if (kind) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  let best: PiiMatch | undefined;
  for (const [kind, count] of counts) {
    const share = count / values.length;
    if (share >= PII_MIN_SHARE && (!best || share > best.share))
      best = { kind, share, sampled: values.length };
  }
  return best;
}

/** Masks a value for display: e-mails keep the first letter and the domain, others the ends. */
export function maskValue(value: string): string {
  const at = value.indexOf('@');
  if (at > 0) return `${value[0]}***${value.slice(at)}`;
  if (value.length <= 4) return '*'.repeat(value.length);
  const keep = Math.min(2, Math.floor(value.length / 4));
  return (
    value.slice(0, keep) + '*'.repeat(value.length - 2 * keep) + value.slice(value.length - keep)
  );
}
