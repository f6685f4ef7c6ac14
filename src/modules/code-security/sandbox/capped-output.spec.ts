import { CappedOutput } from './capped-output';

describe('CappedOutput', () => {
  it('should keep everything under the cap', () => {
    const output = new CappedOutput(10);
    expect(output.push('hello')).toBe(true);
    expect(output.push(Buffer.from(' you'))).toBe(true);
    expect(output.text()).toBe('hello you');
    expect(output.overflow).toBe(false);
  });

  it('should keep exactly the cap and report overflow past it', () => {
    const output = new CappedOutput(8);
    expect(output.push('12345')).toBe(true);
    expect(output.push('67890')).toBe(false);
    expect(output.text()).toBe('12345678');
    expect(output.bytes).toBe(8);
    expect(output.overflow).toBe(true);
    expect(output.push('x')).toBe(false);
    expect(output.text()).toBe('12345678');
  });

  it('should count bytes, not characters', () => {
    const output = new CappedOutput(4);
    expect(output.push('ééé')).toBe(false);
    expect(output.text()).toBe('éé');
  });
});
