import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newUser, type TestUser } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';
import { watchHealth } from './support';

/**
 * Hostile programs against the running service. Each must be contained and answered with the
 * right outcome, while GET /health, polled throughout, keeps answering in under 100 ms.
 */
describe('code security: hostile snippets are contained', () => {
  const CANARY = `canary-${Date.now()}`;
  let app: TestApp;
  let user: TestUser;
  let health: ReturnType<typeof watchHealth>;
  let redisPort: number;

  beforeAll(async () => {
    // A secret in the service's environment that no snippet may see.
    process.env.NML_TEST_SECRET = CANARY;
    app = await startTestApp();
    redisPort = Number(new URL(app.config.redis.url).port || 6379);
    user = await newUser(app);
    health = watchHealth(app.url);
  });
  afterAll(async () => {
    await health.stop();
    await app.close();
    delete process.env.NML_TEST_SECRET;
  });

  const execute = (body: Record<string, unknown>) =>
    app.http().post('/api/v1/security/execute').set(user.auth).send(body);

  interface Case {
    name: string;
    language: 'javascript' | 'python';
    code: string;
    status: number;
    /** The outcome, or the outcomes any of which is right. */
    outcome: string | string[];
    timeoutSeconds?: number;
    memoryMb?: number;
    check?: (body: Record<string, unknown>) => void;
  }

  const cases: Case[] = [
    {
      name: 'an infinite loop',
      language: 'javascript',
      code: 'while (true) {}',
      timeoutSeconds: 1,
      status: 422,
      outcome: 'timeout',
    },
    {
      name: 'an infinite loop',
      language: 'python',
      code: 'while True:\n    pass',
      timeoutSeconds: 1,
      status: 422,
      outcome: 'timeout',
    },
    {
      name: 'a sleeping program (wall time, no CPU)',
      language: 'python',
      code: 'import time\ntime.sleep(120)',
      timeoutSeconds: 1,
      status: 422,
      outcome: 'timeout',
    },
    {
      name: 'a fork bomb',
      language: 'python',
      code: 'import os\nwhile True:\n    os.fork()',
      timeoutSeconds: 10,
      status: 422,
      outcome: 'runtime-error',
      check: (body) => expect(body.errorType).toBe('BlockingIOError'),
    },
    {
      name: 'counting forks (RLIMIT_NPROC holds: at most 32 processes)',
      language: 'python',
      code: [
        'import os, time',
        'children = 0',
        'try:',
        '    while True:',
        '        if os.fork() == 0:',
        '            time.sleep(30)',
        '            os._exit(0)',
        '        children += 1',
        'except BlockingIOError:',
        '    pass',
        'result = children',
      ].join('\n'),
      timeoutSeconds: 10,
      status: 200,
      outcome: 'success',
      check: (body) => {
        expect(body.result).toBeGreaterThan(0);
        expect(body.result).toBeLessThan(32);
      },
    },
    {
      name: 'a fork bomb (no processes exist)',
      language: 'javascript',
      code: 'require("child_process").fork("x")',
      status: 422,
      outcome: 'runtime-error',
      check: (body) =>
        expect(body).toMatchObject({
          errorType: 'ReferenceError',
          message: 'require is not defined',
        }),
    },
    {
      name: 'a memory bomb',
      language: 'javascript',
      code: 'const hoard = [];\nwhile (true) hoard.push(new Array(1e5).fill(Math.random()))',
      memoryMb: 64,
      status: 422,
      outcome: 'memory-limit',
    },
    {
      name: 'a memory bomb',
      language: 'python',
      code: 'hoard = []\nwhile True:\n    hoard.append(bytearray(10 * 1024 * 1024))',
      memoryMb: 256,
      status: 422,
      outcome: 'memory-limit',
    },
    {
      name: 'a numpy memory bomb',
      language: 'python',
      code: 'import numpy as np\nbig = np.ones((1024, 1024, 1024))',
      memoryMb: 512,
      status: 422,
      outcome: 'memory-limit',
    },
    {
      name: 'a flood of output',
      language: 'javascript',
      code: 'for (;;) { try { console.log("flood ".repeat(20)) } catch (e) {} }',
      status: 422,
      outcome: 'output-limit',
      check: (body) => expect(Buffer.byteLength(body.stdout as string)).toBe(1024 * 1024),
    },
    {
      name: 'a flood of output',
      language: 'python',
      code: 'import sys\nwhile True:\n    sys.stdout.write("flood " * 20)',
      status: 422,
      outcome: 'output-limit',
      check: (body) => expect(body).toMatchObject({ stdoutTruncated: true }),
    },
    {
      name: 'reading /etc/passwd',
      language: 'python',
      code: 'print(open("/etc/passwd").read())',
      status: 422,
      outcome: 'runtime-error',
      check: (body) => expect(body.errorType).toBe('FileNotFoundError'),
    },
    {
      name: 'reading /etc/passwd',
      language: 'javascript',
      code: 'require("fs").readFileSync("/etc/passwd", "utf8")',
      status: 422,
      outcome: 'runtime-error',
      check: (body) => expect(body.errorType).toBe('ReferenceError'),
    },
    {
      name: "reading the service's environment and files",
      language: 'python',
      code: [
        'import os',
        'seen = dict(os.environ)',
        'for path in ("/proc/self/environ", "/proc/1/environ"):',
        '    try:',
        '        seen[path] = open(path).read()',
        '    except OSError as error:',
        '        seen[path] = type(error).__name__',
        `for path in (${JSON.stringify(join(process.cwd(), 'package.json'))}, ${JSON.stringify(join(process.cwd(), '.data', 'services.env'))}):`,
        '    seen[path] = os.path.exists(path)',
        'seen["processes"] = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())',
        'result = seen',
      ].join('\n'),
      status: 200,
      outcome: 'success',
      check: (body) => {
        const text = JSON.stringify(body.result);
        expect(text).not.toContain(CANARY);
        expect(text).not.toMatch(/MONGODB_URI|REDIS_URL|JWT|S3_/);
        const seen = body.result as Record<string, unknown>;
        expect(seen[join(process.cwd(), 'package.json')]).toBe(false);
        expect(seen[join(process.cwd(), '.data', 'services.env')]).toBe(false);
        // Its own pid namespace: bwrap's init and the program, none of the host's processes.
        expect((seen.processes as number[]).length).toBeLessThanOrEqual(3);
      },
    },
    {
      name: "reading the service's environment",
      language: 'javascript',
      code: 'process.env',
      status: 422,
      outcome: 'runtime-error',
      check: (body) =>
        expect(body).toMatchObject({
          errorType: 'ReferenceError',
          message: 'process is not defined',
        }),
    },
    {
      name: 'writing outside the scratch directory',
      language: 'python',
      code: [
        'import os',
        'outcome = {}',
        'for path in ("/usr/evil", "/etc/evil", "/evil", "/proc/evil", "/usr/lib/python3/dist-packages/evil.py", "/scratch/ok", "/tmp/ok"):',
        '    try:',
        '        with open(path, "w") as handle:',
        '            handle.write("x")',
        '        outcome[path] = "written"',
        '    except OSError as error:',
        '        outcome[path] = type(error).__name__',
        'result = outcome',
      ].join('\n'),
      status: 200,
      outcome: 'success',
      check: (body) => {
        const outcome = body.result as Record<string, string>;
        for (const path of [
          '/usr/evil',
          '/etc/evil',
          '/evil',
          '/proc/evil',
          '/usr/lib/python3/dist-packages/evil.py',
        ]) {
          expect([path, outcome[path]]).not.toEqual([path, 'written']);
        }
        expect(outcome['/scratch/ok']).toBe('written');
        expect(outcome['/tmp/ok']).toBe('written');
      },
    },
    {
      name: 'writing a huge file (RLIMIT_FSIZE)',
      language: 'python',
      code: 'with open("/scratch/big", "wb") as handle:\n    handle.write(b"x" * (64 * 1024 * 1024))',
      status: 422,
      outcome: 'runtime-error',
      check: (body) => expect(body.message).toMatch(/File too large/),
    },
    {
      name: 'opening a socket to Redis on 127.0.0.1',
      language: 'python',
      code: '', // filled in below with the real Redis port
      status: 422,
      outcome: 'runtime-error',
      check: (body) =>
        expect(['ConnectionRefusedError', 'OSError', 'TimeoutError']).toContain(body.errorType),
    },
    {
      name: 'opening a socket to Redis on 127.0.0.1',
      language: 'javascript',
      code: 'fetch("http://127.0.0.1:6379/")',
      status: 422,
      outcome: 'runtime-error',
      check: (body) =>
        expect(body).toMatchObject({
          errorType: 'ReferenceError',
          message: 'fetch is not defined',
        }),
    },
    {
      name: 'spawning a shell',
      language: 'python',
      code: 'import subprocess\nsubprocess.run("cat /etc/passwd", shell=True, check=True)',
      status: 422,
      outcome: 'runtime-error',
      check: (body) =>
        expect(body).toMatchObject({
          errorType: 'FileNotFoundError',
          message: expect.stringContaining('/bin/sh'),
        }),
    },
    {
      name: 'spawning a subprocess (only the interpreter exists, inside the same sandbox)',
      language: 'python',
      code: [
        'import subprocess, sys',
        'child = subprocess.run([sys.executable, "-c", "import os; print(os.getuid(), len(os.environ.get(\'NML_TEST_SECRET\', \'\')))"], capture_output=True, text=True)',
        'missing = []',
        'for tool in ("/bin/sh", "/usr/bin/curl", "/usr/bin/env", "/usr/bin/node"):',
        '    try:',
        '        subprocess.run([tool])',
        '    except FileNotFoundError:',
        '        missing.append(tool)',
        'result = {"child": child.stdout.split(), "missing": missing}',
      ].join('\n'),
      status: 200,
      outcome: 'success',
      check: (body) => {
        const result = body.result as { child: string[]; missing: string[] };
        expect(Number(result.child[0])).toBeGreaterThanOrEqual(200_000);
        expect(result.child[1]).toBe('0');
        expect(result.missing).toEqual([
          '/bin/sh',
          '/usr/bin/curl',
          '/usr/bin/env',
          '/usr/bin/node',
        ]);
      },
    },
    {
      name: 'native code through ctypes: privileged system calls are refused',
      language: 'python',
      code: [
        'import ctypes, os',
        'libc = ctypes.CDLL(None, use_errno=True)',
        'CLONE_NEWUSER, CLONE_NEWNET = 0x10000000, 0x40000000',
        'result = {',
        '    "setuid0": libc.setuid(0),',
        '    "unshare_user": libc.unshare(CLONE_NEWUSER),',
        '    "unshare_net": libc.unshare(CLONE_NEWNET),',
        '    "mount": libc.mount(b"none", b"/scratch", b"tmpfs", 0, None),',
        '    "uid": os.getuid(),',
        '}',
      ].join('\n'),
      status: 200,
      outcome: 'success',
      check: (body) => {
        expect(body.result).toMatchObject({
          setuid0: -1,
          unshare_user: -1,
          unshare_net: -1,
          mount: -1,
        });
      },
    },
    {
      name: 'native code through ctypes: a segfault',
      language: 'python',
      code: 'import ctypes\nctypes.string_at(0)',
      status: 422,
      outcome: 'runtime-error',
      check: (body) => expect(body.errorType).toBe('SIGSEGV'),
    },
    {
      name: 'deep recursion',
      language: 'python',
      code: 'def dive(n):\n    return dive(n + 1) + 1\ndive(0)',
      status: 422,
      outcome: 'runtime-error',
      check: (body) => expect(body.errorType).toBe('RecursionError'),
    },
    {
      name: 'deep recursion past the interpreter guard',
      language: 'python',
      code: 'import sys\nsys.setrecursionlimit(10**8)\ndef dive(n):\n    return dive(n + 1) + 1\ndive(0)',
      // Python 3.11 keeps Python frames off the C stack: the frames exhaust the memory limit,
      // which CPython reports as MemoryError or, inside deep recursion, as a SystemError.
      memoryMb: 64,
      timeoutSeconds: 20,
      status: 422,
      outcome: ['memory-limit', 'runtime-error'],
    },
    {
      name: 'deep recursion',
      language: 'javascript',
      code: 'function dive(n) { return dive(n + 1) + 1 }\ndive(0)',
      status: 422,
      outcome: 'runtime-error',
      check: (body) => expect(body.errorType).toBe('RangeError'),
    },
  ];

  it.each(cases.map((testCase) => [`${testCase.language}: ${testCase.name}`, testCase] as const))(
    'should contain %s',
    async (_title, testCase) => {
      const code =
        testCase.code ||
        `import socket\nsocket.create_connection(("127.0.0.1", ${redisPort}), timeout=3)`;
      const started = Date.now();
      if (process.env.HEALTH_TRACE)
        process.stderr.write(
          `start ${testCase.language} ${testCase.name} ${new Date().toISOString()}\n`,
        );
      const res = await execute({
        language: testCase.language,
        code,
        ...(testCase.timeoutSeconds ? { timeoutSeconds: testCase.timeoutSeconds } : {}),
        ...(testCase.memoryMb ? { memoryMb: testCase.memoryMb } : {}),
      });
      const outcomes = Array.isArray(testCase.outcome) ? testCase.outcome : [testCase.outcome];
      expect({ status: res.status, outcome: res.body.outcome }).toEqual({
        status: testCase.status,
        outcome: outcomes.includes(res.body.outcome) ? res.body.outcome : outcomes.join(' or '),
      });
      const problem = testCase.status === 422;
      expect(res.headers['content-type']).toMatch(
        problem ? /application\/problem\+json/ : /application\/json/,
      );
      expect(res.body.type).toBe(
        problem ? `https://narrativeml.dev/problems/${res.body.outcome}` : undefined,
      );
      testCase.check?.(res.body);
      expect(Date.now() - started).toBeLessThan(((testCase.timeoutSeconds ?? 30) + 5) * 1000);
    },
  );

  it('should leave no scratch directory behind', async () => {
    const marker = `marker-${Date.now()}`;
    await execute({
      language: 'python',
      code: `open("/scratch/${marker}", "w").write("x")`,
    }).expect(200);
    const root = join(tmpdir(), 'narrativeml-sandbox');
    const runs = await readdir(root).catch(() => [] as string[]);
    for (const run of runs) {
      const files = await readdir(join(root, run)).catch(() => [] as string[]);
      expect(files).not.toContain(marker);
    }
  });

  it('should have kept GET /health answering in under 100 ms throughout', async () => {
    const { count, maxMs, p99Ms } = await health.stop();
    health = watchHealth(app.url);
    process.stdout.write(
      `GET /health during hostile runs: ${count} answers, p99 ${p99Ms.toFixed(1)} ms, max ${maxMs.toFixed(1)} ms\n`,
    );
    expect(count).toBeGreaterThan(50);
    // Under 100 ms, allowing 1 % of answers to a machine whose 2 cores other work shares (load
    // averages of 10–15 while these tests were written); the runs themselves never hold the event
    // loop: isolates run on their own threads, programs are forked by a small helper process at
    // nice 19. The maximum only guards against a stall of the event loop.
    expect(p99Ms).toBeLessThan(100);
    expect(maxMs).toBeLessThan(1_000);
  });
});
