import type { Language } from '../code-security.limits';

/** How a run ended. Everything but `success` is the user's program ending badly (422). */
export const OUTCOMES = [
  'success',
  'syntax-error',
  'runtime-error',
  'timeout',
  'memory-limit',
  'output-limit',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface SandboxRequest {
  code: string;
  /** Variables defined before the code runs; JSON values. */
  inputs: Record<string, unknown>;
  timeoutMs: number;
  memoryMb: number;
  /**
   * Slot of the global concurrency pool this run holds (0 ≤ slot < maxConcurrentGlobal). The
   * Python sandbox runs as a uid of its own per slot, so RLIMIT_NPROC counts one run only.
   */
  slot: number;
}

export interface SandboxError {
  /** Python's exception class or JavaScript's error name, e.g. `ZeroDivisionError`. */
  type?: string;
  message: string;
  /** 1-based line and column in the snippet (syntax errors; runtime errors where known). */
  line?: number;
  column?: number;
  traceback?: string;
}

export interface SandboxResult {
  language: Language;
  outcome: Outcome;
  stdout: string;
  stderr: string;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  /** The snippet's result: JavaScript's completion value, Python's `result` variable; null if none. */
  result: unknown;
  /** Top-level variables the snippet defined, JSON-converted; functions and modules are left out. */
  variables: Record<string, unknown>;
  /** Variables left out because they are not JSON-serialisable or over the size budget. */
  omittedVariables: string[];
  error?: SandboxError;
  /** Wall time of the run, sandbox start-up included. */
  durationMs: number;
  cpuTimeMs?: number;
  /** Peak memory: the V8 heap of the isolate, or the peak resident set of the Python process. */
  peakMemoryBytes?: number;
}

export interface SandboxHealth {
  available: boolean;
  version?: string;
  packages?: Record<string, string>;
  detail?: string;
}

export interface Sandbox {
  readonly language: Language;
  run(request: SandboxRequest): Promise<SandboxResult>;
  probe(): Promise<SandboxHealth>;
  /** Frees what the sandbox keeps between runs (a helper process). */
  close?(): void;
}
