/**
 * Limits of code execution. Per-request limits are validated by the DTO; the rest are fixed here
 * so a review sees every bound in one place.
 */
export const EXECUTION_LIMITS = {
  timeoutSeconds: { min: 1, max: 300, default: 30 },
  memoryMb: { min: 64, max: 2048, default: 512 },
  /** Characters of source code. */
  maxCodeLength: 50_000,
  /** Bytes of stdout and stderr kept; a run that writes more ends with `output-limit`. */
  maxStdoutBytes: 1024 * 1024,
  maxStderrBytes: 256 * 1024,
  /** Bytes of the JSON of the result and captured variables together. */
  maxResultBytes: 1024 * 1024,
  /** Input variables: at most this many, with identifier names, and this many bytes of JSON. */
  maxInputs: 50,
  maxInputsBytes: 256 * 1024,
  /** Concurrent runs, per user and for this API instance (both languages together). */
  maxConcurrentPerUser: 2,
  maxConcurrentGlobal: 4,
  /** Python: processes and threads of the sandbox's own uid (RLIMIT_NPROC). */
  maxProcesses: 32,
  /** Python: largest file the program may write (RLIMIT_FSIZE), and open files (RLIMIT_NOFILE). */
  maxFileBytes: 16 * 1024 * 1024,
  maxOpenFiles: 64,
  /** Python: the size of the sandbox's /tmp (a tmpfs). */
  tmpfsBytes: 16 * 1024 * 1024,
} as const;

export const LANGUAGES = ['javascript', 'python'] as const;
export type Language = (typeof LANGUAGES)[number];
