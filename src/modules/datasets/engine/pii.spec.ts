import { classifyValue, detectPii, ibanValid, luhnValid, maskValue } from './pii';

describe('personal data detection', () => {
  it('should validate Luhn and IBAN check digits', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(ibanValid('GB82 WEST 1234 5698 7654 32')).toBe(true);
    expect(ibanValid('GB82 WEST 1234 5698 7654 33')).toBe(false);
  });

  it.each([
    ['jane.doe@example.com', 'email'],
    ['+47 912 34 567', 'phone'],
    ['(555) 123-4567', 'phone'],
    ['4111-1111-1111-1111', 'card-number'],
    ['DE89370400440532013000', 'iban'],
    ['192.168.0.1', 'ip-address'],
    ['2001:db8::1', 'ip-address'],
    ['123-45-6789', 'national-id'],
    ['AB123456C', 'national-id'],
    ['1234567', undefined],
    ['hello world', undefined],
    ['4111-1111-1111-1112', undefined],
  ])('should classify %s as %s', (value, kind) => {
    expect(classifyValue(value)).toBe(kind);
  });

  it('should flag a column when at least half the sample matches, with the share', () => {
    expect(detectPii(['a@b.io', 'c@d.io', 'x', 'y'])).toEqual({
      kind: 'email',
      share: 0.5,
      sampled: 4,
    });
    expect(detectPii(['a@b.io', 'x', 'y'])).toBeUndefined();
  });

  it('should mask values', () => {
    expect(maskValue('jane@example.com')).toBe('j***@example.com');
    expect(maskValue('4111111111111111')).toBe('41************11');
    expect(maskValue('abc')).toBe('***');
  });
});
