import { randomBytes, randomInt } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { chown, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXECUTION_LIMITS } from '../code-security.limits';
import { type HostedResult, ProcessHost } from './process-host';
import { PYTHON_RUNNER } from './python-runner.source';
import type {
  Outcome,
  Sandbox,
  SandboxError,
  SandboxHealth,
  SandboxRequest,
  SandboxResult,
} from './sandbox.types';

const MIB = 1024 * 1024;
/** Start-up allowance on top of the timeout for the wall-clock kill (bwrap and the interpreter). */
const WALL_GRACE_MS = 500;
const SIGNALS: Record<number, string> = {
  6: 'SIGABRT',
  7: 'SIGBUS',
  8: 'SIGFPE',
  9: 'SIGKILL',
  11: 'SIGSEGV',
  24: 'SIGXCPU',
  25: 'SIGXFSZ',
};

export interface PythonSandboxOptions {
  python: string;
  bwrap: string;
  prlimit: string;
  nice: string;
  /** Parent of the per-run scratch directories. */
  scratchRoot: string;
  /** First uid of this instance's pool; slot n runs as firstUid + n. */
  firstUid: number;
}

export function defaultPythonSandboxOptions(): PythonSandboxOptions {
  return {
    python: '/usr/bin/python3',
    bwrap: '/usr/bin/bwrap',
    prlimit: '/usr/bin/prlimit',
    nice: '/usr/bin/nice',
    scratchRoot: join(tmpdir(), 'narrativeml-sandbox'),
    // A random, unnamed uid range per API instance: no file on the host belongs to these uids,
    // and two instances on one host (or two test workers) do not share an RLIMIT_NPROC count.
    firstUid: 200_000 + randomInt(0, 100_000) * 64,
  };
}

interface RunnerReport {
  outcome?: unknown;
  error?: SandboxError;
  result?: unknown;
  variables?: Record<string, unknown>;
  omitted?: string[];
  peakMemoryBytes?: number;
  cpuTimeMs?: number;
}

/**
 * Python 3 (with numpy and pandas) in a bubblewrap sandbox, one process tree per run:
 * - a uid of its own (no capabilities, not root, so RLIMIT_NPROC binds) in new user, pid, net,
 *   ipc, uts and cgroup namespaces: no network at all, no view of the service's processes;
 * - a root file system of read-only /usr (and /etc/alternatives for the BLAS libraries) plus a
 *   private scratch directory, wiped afterwards, and a small /tmp tmpfs: none of the service's
 *   files or the host's /etc;
 * - an empty environment; RLIMIT_AS (memory), RLIMIT_CPU, RLIMIT_NPROC, RLIMIT_FSIZE,
 *   RLIMIT_NOFILE and no core dumps; a wall-clock kill; stdout and stderr capped.
 * Everything runs in child processes, so the API's event loop only reads pipes.
 */
export class PythonSandbox implements Sandbox {
  readonly language = 'python' as const;

  private readonly host = new ProcessHost();

  constructor(private readonly options: PythonSandboxOptions = defaultPythonSandboxOptions()) {}

  uidOf(slot: number): number {
    return this.options.firstUid + slot;
  }

  /** The command line of one run (exposed for tests and the threat-model docs). */
  commandFor(request: SandboxRequest, scratch: string): { file: string; args: string[] } {
    const cpuSeconds = Math.max(1, Math.ceil(request.timeoutMs / 1000));
    const limits = [
      `--as=${request.memoryMb * MIB}`,
      `--cpu=${cpuSeconds}:${cpuSeconds + 1}`,
      `--nproc=${EXECUTION_LIMITS.maxProcesses}`,
      `--fsize=${EXECUTION_LIMITS.maxFileBytes}`,
      `--nofile=${EXECUTION_LIMITS.maxOpenFiles}`,
      '--core=0',
    ];
    const env = {
      HOME: '/scratch',
      PATH: '/usr/bin:/bin',
      LANG: 'C.UTF-8',
      TMPDIR: '/tmp',
      PYTHONDONTWRITEBYTECODE: '1',
      PYTHONUNBUFFERED: '1',
      OPENBLAS_NUM_THREADS: '1',
      OMP_NUM_THREADS: '1',
      MKL_NUM_THREADS: '1',
      MPLCONFIGDIR: '/tmp',
    };
    const realPython = realpathSync(this.options.python);
    const bwrap = [
      '--unshare-all',
      '--unshare-user',
      '--disable-userns',
      '--die-with-parent',
      '--new-session',
      '--clearenv',
      '--hostname',
      'sandbox',
      // Libraries, but of /usr/bin only the interpreter: no shell or other tools to run.
      '--ro-bind',
      '/usr/lib',
      '/usr/lib',
      ...(existsSync('/usr/lib64') ? ['--ro-bind', '/usr/lib64', '/usr/lib64'] : []),
      '--ro-bind',
      '/usr/share/zoneinfo',
      '/usr/share/zoneinfo',
      '--ro-bind',
      this.options.python,
      this.options.python,
      ...(realPython !== this.options.python ? ['--ro-bind', realPython, realPython] : []),
      '--symlink',
      'usr/lib',
      '/lib',
      '--symlink',
      'usr/lib64',
      '/lib64',
      '--symlink',
      'usr/bin',
      '/bin',
      ...(existsSync('/etc/alternatives')
        ? ['--ro-bind', '/etc/alternatives', '/etc/alternatives']
        : []),
      '--proc',
      '/proc',
      '--dev',
      '/dev',
      '--bind',
      scratch,
      '/scratch',
      '--size',
      String(EXECUTION_LIMITS.tmpfsBytes),
      '--tmpfs',
      '/tmp',
      '--remount-ro',
      '/',
      '--chdir',
      '/scratch',
      ...Object.entries(env).flatMap(([name, value]) => ['--setenv', name, value]),
      '--',
      this.options.python,
      '-I',
      '-S',
      '-c',
      PYTHON_RUNNER,
    ];
    // Lowest CPU priority: a program that keeps every core busy (a fork bomb spinning on fork())
    // must not starve the API's event loop of CPU.
    return {
      file: this.options.nice,
      args: ['-n', '19', this.options.prlimit, ...limits, '--', this.options.bwrap, ...bwrap],
    };
  }

  async run(request: SandboxRequest): Promise<SandboxResult> {
    const started = performance.now();
    const uid = this.uidOf(request.slot);
    const scratch = join(this.options.scratchRoot, `run-${randomBytes(8).toString('hex')}`);
    await mkdir(this.options.scratchRoot, { recursive: true, mode: 0o711 });
    await mkdir(scratch, { mode: 0o700 });
    try {
      await chown(scratch, uid, uid);
      const { file, args } = this.commandFor(request, scratch);
      const run = await this.host.run({
        file,
        args,
        uid,
        gid: uid,
        input: JSON.stringify({
          code: request.code,
          inputs: request.inputs,
          maxResultBytes: EXECUTION_LIMITS.maxResultBytes,
        }),
        wallMs: request.timeoutMs + WALL_GRACE_MS,
        caps: {
          stdout: EXECUTION_LIMITS.maxStdoutBytes,
          stderr: EXECUTION_LIMITS.maxStderrBytes,
          report: EXECUTION_LIMITS.maxResultBytes + 64 * 1024,
        },
      });
      return resultOf(run, request, started);
    } finally {
      await rm(scratch, { recursive: true, force: true, maxRetries: 3 });
    }
  }

  /** Stops the process host (and any program still running). */
  close(): void {
    this.host.close();
  }

  async probe(): Promise<SandboxHealth> {
    for (const [name, path] of [
      ['python', this.options.python],
      ['bwrap', this.options.bwrap],
      ['prlimit', this.options.prlimit],
      ['nice', this.options.nice],
    ]) {
      if (!existsSync(path))
        return { available: false, detail: `${name} is not installed at ${path}` };
    }
    try {
      const result = await this.run({
        code: 'import sys, numpy, pandas\nresult = {"python": sys.version.split()[0], "numpy": numpy.__version__, "pandas": pandas.__version__}',
        inputs: {},
        timeoutMs: 20_000,
        memoryMb: 512,
        // A uid past the pool's, so a probe never shares a process count with a user's run.
        slot: EXECUTION_LIMITS.maxConcurrentGlobal,
      });
      if (result.outcome !== 'success' || !isRecord(result.result)) {
        return {
          available: false,
          detail: `probe ended with ${result.outcome}: ${result.error?.message ?? result.stderr.slice(0, 500)}`,
        };
      }
      const { python, ...packages } = result.result as Record<string, string>;
      return { available: true, version: `Python ${python}`, packages };
    } catch (error) {
      return { available: false, detail: error instanceof Error ? error.message : String(error) };
    }
  }
}

function isOutcome(value: unknown): value is Outcome {
  return (
    typeof value === 'string' &&
    [
      'success',
      'syntax-error',
      'runtime-error',
      'timeout',
      'memory-limit',
      'output-limit',
    ].includes(value)
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseReport(run: HostedResult): RunnerReport | undefined {
  if (run.over.report || run.report.length === 0) return undefined;
  try {
    const parsed: unknown = JSON.parse(run.report);
    if (!isRecord(parsed)) return undefined;
    const error = parsed.error;
    if (error !== undefined && !(isRecord(error) && typeof error.message === 'string'))
      return undefined;
    return parsed;
  } catch {
    return undefined;
  }
}

function resultOf(run: HostedResult, request: SandboxRequest, started: number): SandboxResult {
  const parsed = parseReport(run);
  let outcome: Outcome;
  let error: SandboxError | undefined;
  if (run.over.stdout || run.over.stderr) {
    outcome = 'output-limit';
    error = {
      message: `The program wrote more than the output limit (stdout ${EXECUTION_LIMITS.maxStdoutBytes} bytes, stderr ${EXECUTION_LIMITS.maxStderrBytes} bytes).`,
    };
  } else if (run.wallTimeout) {
    outcome = 'timeout';
    error = { message: 'The program ran longer than its timeout.' };
  } else if (parsed && isOutcome(parsed.outcome)) {
    outcome = parsed.outcome;
    error = parsed.error;
  } else {
    ({ outcome, error } = fromExitStatus(run.code, run.signal, run.stderr, run.over.report));
  }
  return {
    language: 'python',
    outcome,
    stdout: run.stdout,
    stderr: run.stderr,
    stdoutTruncated: run.over.stdout,
    stderrTruncated: run.over.stderr,
    result: outcome === 'success' ? (parsed?.result ?? null) : null,
    variables: outcome === 'success' && isRecord(parsed?.variables) ? parsed.variables : {},
    omittedVariables:
      outcome === 'success' && Array.isArray(parsed?.omitted) ? parsed.omitted.map(String) : [],
    ...(error ? { error } : {}),
    durationMs: Math.round(performance.now() - started),
    cpuTimeMs: typeof parsed?.cpuTimeMs === 'number' ? parsed.cpuTimeMs : undefined,
    peakMemoryBytes:
      typeof parsed?.peakMemoryBytes === 'number'
        ? parsed.peakMemoryBytes
        : outcome === 'memory-limit'
          ? request.memoryMb * MIB
          : undefined,
  };
}

/** The runner did not report (killed by a signal, os._exit, a crash in native code). */
function fromExitStatus(
  code: number | null,
  signal: NodeJS.Signals | null,
  stderr: string,
  reportOverflow: boolean,
): { outcome: Outcome; error: SandboxError } {
  if (reportOverflow)
    return {
      outcome: 'output-limit',
      error: {
        message: `The result is larger than ${EXECUTION_LIMITS.maxResultBytes} bytes of JSON.`,
      },
    };
  // bwrap exits with 128 + n when the program died of signal n.
  const signo = code !== null && code > 128 ? code - 128 : undefined;
  const name = signal ?? (signo !== undefined ? (SIGNALS[signo] ?? `signal ${signo}`) : undefined);
  if (name === 'SIGXCPU' || name === 'SIGKILL') {
    return {
      outcome: 'timeout',
      error: { message: 'The program used more CPU time than its timeout.' },
    };
  }
  if (/MemoryError|Cannot allocate memory|failed to map segment/.test(stderr)) {
    return {
      outcome: 'memory-limit',
      error: { type: 'MemoryError', message: 'The program ran out of memory.' },
    };
  }
  if (name === 'SIGXFSZ') {
    return {
      outcome: 'output-limit',
      error: {
        message: `The program wrote a file larger than ${EXECUTION_LIMITS.maxFileBytes} bytes.`,
      },
    };
  }
  if (name)
    return {
      outcome: 'runtime-error',
      error: { type: name, message: `The program was killed by ${name}.` },
    };
  return {
    outcome: 'runtime-error',
    error: {
      type: 'Exit',
      message: `The program exited with status ${code} before reporting a result.`,
    },
  };
}
