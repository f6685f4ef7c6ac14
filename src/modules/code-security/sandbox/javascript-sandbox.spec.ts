import { JavaScriptSandbox } from './javascript-sandbox';
import type { SandboxRequest } from './sandbox.types';

const sandbox = new JavaScriptSandbox();
const run = (code: string, overrides: Partial<SandboxRequest> = {}) =>
  sandbox.run({ code, inputs: {}, timeoutMs: 2_000, memoryMb: 64, slot: 0, ...overrides });

describe('JavaScriptSandbox', () => {
  it('should return the completion value, output and new globals', async () => {
    const result = await run(
      'console.log("hi", {a: 1});\nconsole.error("oops");\nvar total = n * 2;\n({ total })',
      {
        inputs: { n: 21 },
      },
    );
    expect(result).toMatchObject({
      outcome: 'success',
      stdout: 'hi {"a":1}\n',
      stderr: 'oops\n',
      result: { total: 42 },
      variables: { total: 42 },
    });
    expect(result.peakMemoryBytes).toBeGreaterThan(0);
  });

  it('should await a promise completion value', async () => {
    expect((await run('(async () => { await null; return 7 })()')).result).toBe(7);
  });

  it('should report a syntax error with its line and column', async () => {
    const result = await run('let a = 1;\nfoo(;');
    expect(result).toMatchObject({
      outcome: 'syntax-error',
      error: { type: 'SyntaxError', line: 2, column: 5 },
    });
    expect(result.error?.message).toMatch(/Unexpected token/);
  });

  it('should report a runtime error with a stack that shows no service frames', async () => {
    const result = await run('function f() { return null.x }\nf()');
    expect(result).toMatchObject({
      outcome: 'runtime-error',
      error: { type: 'TypeError', line: 1 },
    });
    expect(result.error?.traceback).toContain('snippet.js:2');
    expect(result.error?.traceback).not.toMatch(/node_modules|\/src\//);
  });

  it('should stop an infinite loop at the timeout', async () => {
    const result = await run('while (true) {}', { timeoutMs: 500 });
    expect(result.outcome).toBe('timeout');
    expect(result.durationMs).toBeLessThan(2_000);
  });

  it('should stop an infinite asynchronous loop at the timeout', async () => {
    expect(
      (await run('(async () => { for (;;) { await null } })()', { timeoutMs: 500 })).outcome,
    ).toBe('timeout');
  });

  it('should stop a memory bomb at the memory limit', async () => {
    const result = await run('const a = []; while (true) a.push(new Array(1e5).fill(1.5))', {
      timeoutMs: 10_000,
    });
    expect(result.outcome).toBe('memory-limit');
  });

  it('should refuse a huge ArrayBuffer as a memory-limit', async () => {
    expect((await run('new ArrayBuffer(1e9).byteLength')).outcome).toBe('memory-limit');
  });

  it('should stop a flood of output at the output limit even when the program catches errors', async () => {
    const result = await run('for (;;) { try { console.log("x".repeat(100)) } catch (e) {} }', {
      timeoutMs: 10_000,
    });
    expect(result.outcome).toBe('output-limit');
    expect(result.stdoutTruncated).toBe(true);
    expect(result.stdout.length).toBe(1024 * 1024);
  });

  it('should turn deep recursion into a runtime error', async () => {
    expect(await run('function r(n) { return r(n + 1) + 1 }\nr(0)')).toMatchObject({
      outcome: 'runtime-error',
      error: { type: 'RangeError', message: 'Maximum call stack size exceeded' },
    });
  });

  it('should expose no Node API to the program', async () => {
    const result = await run(
      '[typeof require, typeof process, typeof fetch, typeof setTimeout, typeof module, typeof Buffer, typeof $nmlFlush]',
    );
    expect(result.result).toEqual(Array(7).fill('undefined'));
  });
});
