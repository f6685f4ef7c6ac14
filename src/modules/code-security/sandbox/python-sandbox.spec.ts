import { PythonSandbox } from './python-sandbox';
import type { SandboxRequest } from './sandbox.types';

const sandbox = new PythonSandbox();
const run = (code: string, overrides: Partial<SandboxRequest> = {}) =>
  sandbox.run({ code, inputs: {}, timeoutMs: 10_000, memoryMb: 512, slot: 0, ...overrides });

describe('PythonSandbox', () => {
  afterAll(() => sandbox.close());

  it('should return output, the result variable and other JSON-able variables', async () => {
    const result = await run(
      'import sys\nprint("hi")\nprint("warn", file=sys.stderr)\ntotal = n * 2\nresult = {"total": total}\ndef f(): pass',
      {
        inputs: { n: 21 },
      },
    );
    expect(result).toMatchObject({
      outcome: 'success',
      stdout: 'hi\n',
      stderr: 'warn\n',
      result: { total: 42 },
      variables: { total: 42 },
    });
    expect(result.peakMemoryBytes).toBeGreaterThan(1_000_000);
  });

  it('should convert numpy and pandas values', async () => {
    const result = await run(
      'import numpy as np, pandas as pd\narr = np.arange(3)\ndf = pd.DataFrame({"a": [1, 2]})\nresult = float(arr.mean())',
    );
    expect(result).toMatchObject({
      outcome: 'success',
      result: 1,
      variables: { arr: [0, 1, 2], df: { columns: ['a'], index: [0, 1], data: [[1], [2]] } },
    });
  });

  it('should report a syntax error with its line', async () => {
    expect(await run('x = 1\ndef f(:\n  pass')).toMatchObject({
      outcome: 'syntax-error',
      error: { type: 'SyntaxError', line: 2 },
    });
  });

  it('should report a runtime error with a traceback of the snippet only', async () => {
    const result = await run('def f():\n    return 1 / 0\nf()');
    expect(result).toMatchObject({
      outcome: 'runtime-error',
      error: { type: 'ZeroDivisionError', line: 2 },
    });
    expect(result.error?.traceback).toContain('File "<snippet>", line 2, in f');
    expect(result.error?.traceback).toContain('return 1 / 0');
    expect(result.error?.traceback).not.toContain('main()');
  });

  it('should stop an infinite loop', async () => {
    const result = await run('while True: pass', { timeoutMs: 1_000 });
    expect(result.outcome).toBe('timeout');
  });

  it('should stop a sleeping program at the wall-clock timeout', async () => {
    const result = await run('import time\ntime.sleep(60)', { timeoutMs: 1_000 });
    expect(result.outcome).toBe('timeout');
    expect(result.durationMs).toBeLessThan(5_000);
  });

  it('should stop a memory bomb', async () => {
    expect((await run('x = bytearray(600 * 1024 * 1024)', { memoryMb: 256 })).outcome).toBe(
      'memory-limit',
    );
  });

  it('should stop a flood of output', async () => {
    const result = await run('while True: print("x" * 100)');
    expect(result.outcome).toBe('output-limit');
    expect(Buffer.byteLength(result.stdout)).toBe(1024 * 1024);
  });

  it('should run with an empty environment, as an unprivileged uid, with no network', async () => {
    const result = await run(
      'import os, socket\nresult = {"env": dict(os.environ), "uid": os.getuid(), "root": sorted(os.listdir("/"))}\ntry:\n    socket.create_connection(("127.0.0.1", 6379), timeout=2)\n    result["net"] = "open"\nexcept OSError as e:\n    result["net"] = type(e).__name__',
    );
    expect(result.outcome).toBe('success');
    const value = result.result as {
      env: Record<string, string>;
      uid: number;
      root: string[];
      net: string;
    };
    expect(value.uid).toBe(sandbox.uidOf(0));
    expect(Object.keys(value.env).sort()).toEqual(
      [
        'HOME',
        'LANG',
        'LC_CTYPE',
        'MKL_NUM_THREADS',
        'MPLCONFIGDIR',
        'OMP_NUM_THREADS',
        'OPENBLAS_NUM_THREADS',
        'PATH',
        'PWD',
        'PYTHONDONTWRITEBYTECODE',
        'PYTHONUNBUFFERED',
        'TMPDIR',
      ].filter((name) => name !== 'LC_CTYPE' || 'LC_CTYPE' in value.env), // Python may set LC_CTYPE itself
    );
    expect(value.root).toEqual([
      'bin',
      'dev',
      'etc',
      'lib',
      'lib64',
      'proc',
      'scratch',
      'tmp',
      'usr',
    ]);
    expect(value.net).not.toBe('open');
  });
});
