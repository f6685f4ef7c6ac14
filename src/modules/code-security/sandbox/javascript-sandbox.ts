import { Logger } from '@nestjs/common';
import ivm from 'isolated-vm';
import { EXECUTION_LIMITS } from '../code-security.limits';
import { CappedOutput } from './capped-output';
import type {
  Outcome,
  Sandbox,
  SandboxError,
  SandboxHealth,
  SandboxRequest,
  SandboxResult,
} from './sandbox.types';

const FILENAME = 'snippet.js';
const MIB = 1024 * 1024;
/** Time allowed to collect output and the result after the program ends. */
const FINISH_TIMEOUT_MS = 2_000;
/** Slack past the timeout before the wall-clock timer disposes the isolate. */
const WALL_GRACE_MS = 250;

/**
 * Runs inside the isolate before the snippet. It defines `console`, buffering output in the
 * isolate and handing it to the service in chunks (one call per chunk, not per line, so a flood
 * of tiny writes costs the API's event loop little), and `__nml_finish`, which turns the result
 * and new globals into JSON within a byte budget. Nothing else of Node is visible to the snippet.
 */
const BOOTSTRAP = String.raw`
(() => {
  const flush = globalThis.$nmlFlush;
  delete globalThis.$nmlFlush;
  const CHUNK = 16384;
  const pending = { out: [], err: [] };
  const pendingSize = { out: 0, err: 0 };
  let dead = false;
  const replacer = (_key, value) => (typeof value === 'bigint' ? value.toString() : value);
  const format = (value) => {
    if (typeof value === 'string') return value;
    try {
      const text = JSON.stringify(value, replacer);
      return text === undefined ? String(value) : text;
    } catch {
      return String(value);
    }
  };
  const drain = (stream) => {
    if (dead || pending[stream].length === 0) return;
    const text = pending[stream].join('');
    pending[stream] = [];
    pendingSize[stream] = 0;
    if (!flush(stream, text)) {
      dead = true;
      throw new Error('output limit exceeded');
    }
  };
  const write = (stream, args) => {
    if (dead) return;
    const line = Array.prototype.map.call(args, format).join(' ') + '\n';
    pending[stream].push(line);
    pendingSize[stream] += line.length;
    if (pendingSize[stream] >= CHUNK) drain(stream);
  };
  const out = (...args) => write('out', args);
  const err = (...args) => write('err', args);
  const console = Object.freeze({ log: out, info: out, debug: out, warn: err, error: err });
  Object.defineProperty(globalThis, 'console', { value: console, enumerable: false, writable: false, configurable: false });
  const initial = new Set(Object.getOwnPropertyNames(globalThis));
  const toJson = (value) => {
    try {
      return JSON.stringify(value, replacer);
    } catch {
      return JSON.stringify(String(value));
    }
  };
  Object.defineProperty(globalThis, '__nml_drain', {
    value: () => { drain('out'); drain('err'); },
    enumerable: false,
  });
  Object.defineProperty(globalThis, '__nml_finish', {
    value: (completion, maxBytes) => {
      drain('out');
      drain('err');
      const result = toJson(completion) ?? 'null';
      if (result.length > maxBytes) return JSON.stringify({ tooLarge: true });
      let budget = maxBytes - result.length;
      const variables = [];
      const omitted = [];
      for (const name of Object.getOwnPropertyNames(globalThis)) {
        if (initial.has(name) || name.startsWith('__nml')) continue;
        const value = globalThis[name];
        if (typeof value === 'function' || value === undefined) continue;
        const json = toJson(value);
        if (json === undefined || json.length + name.length + 4 > budget) {
          omitted.push(name);
          continue;
        }
        budget -= json.length + name.length + 4;
        variables.push(JSON.stringify(name) + ':' + json);
      }
      return '{"result":' + result + ',"variables":{' + variables.join(',') + '},"omitted":' + JSON.stringify(omitted) + '}';
    },
    enumerable: false,
  });
})();
`;

interface Finished {
  result: unknown;
  variables: Record<string, unknown>;
  omitted: string[];
}

/**
 * JavaScript in a V8 isolate of its own (isolated-vm): a separate heap capped at the request's
 * memory, no Node APIs (no require, process, timers, network or file system), a wall-clock
 * timeout. The program runs on isolated-vm's thread pool, so the API's event loop stays free.
 */
export class JavaScriptSandbox implements Sandbox {
  readonly language = 'javascript' as const;
  private readonly logger = new Logger(JavaScriptSandbox.name);

  async run(request: SandboxRequest): Promise<SandboxResult> {
    const started = performance.now();
    const stdout = new CappedOutput(EXECUTION_LIMITS.maxStdoutBytes);
    const stderr = new CappedOutput(EXECUTION_LIMITS.maxStderrBytes);
    const isolate = new ivm.Isolate({
      memoryLimit: request.memoryMb,
      onCatastrophicError: (message) =>
        this.logger.error({ message }, 'isolate catastrophic error'),
    });
    let outputOverflow = false;
    let wallTimeout = false;
    const disposeSoon = (): void => {
      setImmediate(() => dispose(isolate));
    };
    const timer = setTimeout(() => {
      wallTimeout = true;
      dispose(isolate);
    }, request.timeoutMs + WALL_GRACE_MS);

    const base = { language: this.language, stdout, stderr };
    let outcome: Outcome = 'success';
    let error: SandboxError | undefined;
    let finished: Finished | undefined;
    let peakMemoryBytes: number | undefined;
    let cpuTimeMs: number | undefined;
    try {
      const context = await isolate.createContext();
      await context.global.set(
        '$nmlFlush',
        new ivm.Callback((stream: unknown, text: unknown) => {
          const sink = stream === 'err' ? stderr : stdout;
          if (typeof text === 'string' && sink.push(text)) return true;
          outputOverflow = true;
          disposeSoon();
          return false;
        }),
      );
      await context.eval(BOOTSTRAP, { timeout: FINISH_TIMEOUT_MS });
      for (const [name, value] of Object.entries(request.inputs)) {
        await context.global.set(name, new ivm.ExternalCopy(value).copyInto());
      }

      let script: ivm.Script;
      try {
        script = await isolate.compileScript(request.code, { filename: FILENAME });
      } catch (compileError) {
        outcome = 'syntax-error';
        error = syntaxErrorOf(compileError);
      }
      if (outcome === 'success') {
        try {
          const completion = await script!.run(context, {
            timeout: request.timeoutMs,
            reference: true,
            promise: true,
          });
          const json: unknown = await context.evalClosure(
            'return __nml_finish($0, $1)',
            [completion.derefInto(), EXECUTION_LIMITS.maxResultBytes],
            { timeout: FINISH_TIMEOUT_MS, result: { copy: true } },
          );
          finished = parseFinished(json);
          if (!finished) {
            outcome = 'output-limit';
            error = {
              message: `The result and variables exceed ${EXECUTION_LIMITS.maxResultBytes} bytes of JSON.`,
            };
          }
        } catch (runError) {
          ({ outcome, error } = classify(runError, isolate.isDisposed, {
            outputOverflow,
            wallTimeout,
          }));
          if (!isolate.isDisposed) {
            await context
              .eval('__nml_drain()', { timeout: FINISH_TIMEOUT_MS })
              .catch(() => undefined);
          }
        }
      }
      if (!isolate.isDisposed) {
        const heap = await isolate.getHeapStatistics();
        peakMemoryBytes = heap.total_heap_size + heap.externally_allocated_size;
        cpuTimeMs = Number(isolate.cpuTime) / 1e6;
      } else if (outcome === 'memory-limit') {
        peakMemoryBytes = request.memoryMb * MIB;
      }
    } catch (setupError) {
      // The isolate went away while we were setting up or collecting (the wall timer, a flood).
      ({ outcome, error } = classify(setupError, isolate.isDisposed, {
        outputOverflow,
        wallTimeout,
      }));
    } finally {
      clearTimeout(timer);
      dispose(isolate);
    }
    if (outputOverflow) {
      outcome = 'output-limit';
      error = {
        message: `The program wrote more than the output limit (stdout ${EXECUTION_LIMITS.maxStdoutBytes} bytes, stderr ${EXECUTION_LIMITS.maxStderrBytes} bytes).`,
      };
    }
    return {
      ...base,
      outcome,
      stdout: stdout.text(),
      stderr: stderr.text(),
      stdoutTruncated: stdout.overflow,
      stderrTruncated: stderr.overflow,
      result: finished?.result ?? null,
      variables: finished?.variables ?? {},
      omittedVariables: finished?.omitted ?? [],
      ...(error ? { error } : {}),
      durationMs: Math.round(performance.now() - started),
      cpuTimeMs: cpuTimeMs === undefined ? undefined : Math.round(cpuTimeMs),
      peakMemoryBytes,
    };
  }

  async probe(): Promise<SandboxHealth> {
    try {
      const result = await this.run({
        code: '6 * 7',
        inputs: {},
        timeoutMs: 5_000,
        memoryMb: 64,
        slot: 0,
      });
      const available = result.outcome === 'success' && result.result === 42;
      return {
        available,
        version: `V8 ${process.versions.v8}`,
        ...(available ? {} : { detail: `probe ended with ${result.outcome}` }),
      };
    } catch (error) {
      return { available: false, detail: error instanceof Error ? error.message : String(error) };
    }
  }
}

function dispose(isolate: ivm.Isolate): void {
  if (isolate.isDisposed) return;
  try {
    isolate.dispose();
  } catch {
    // Already disposed by a concurrent path: nothing left to free.
  }
}

function parseFinished(json: unknown): Finished | undefined {
  if (typeof json !== 'string' || json.length > EXECUTION_LIMITS.maxResultBytes * 2)
    return undefined;
  const parsed = JSON.parse(json) as Partial<Finished> & { tooLarge?: boolean };
  if (parsed.tooLarge) return undefined;
  return {
    result: parsed.result ?? null,
    variables: parsed.variables ?? {},
    omitted: parsed.omitted ?? [],
  };
}

const LOCATION = /\s*\[snippet\.js:(\d+):(\d+)\]$/;
const STACK_LOCATION = /snippet\.js:(\d+):(\d+)/;

/**
 * Errors cross the isolate boundary as Error objects of the realm that created them, which need
 * not be this one (jest runs code in a vm context): recognise them by shape, not `instanceof`.
 */
function errorLike(error: unknown): { name: string; message: string; stack?: string } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { name, message, stack } = error as { name?: unknown; message?: unknown; stack?: unknown };
  if (typeof message !== 'string') return undefined;
  return {
    name: typeof name === 'string' ? name : 'Error',
    message,
    stack: typeof stack === 'string' ? stack : undefined,
  };
}

function syntaxErrorOf(thrown: unknown): SandboxError {
  const error = errorLike(thrown);
  const message = error?.message ?? String(thrown);
  const match = LOCATION.exec(message);
  return {
    type: error?.name ?? 'SyntaxError',
    message: match ? message.replace(LOCATION, '') : message,
    ...(match ? { line: Number(match[1]), column: Number(match[2]) } : {}),
  };
}

function classify(
  thrown: unknown,
  disposed: boolean,
  flags: { outputOverflow: boolean; wallTimeout: boolean },
): { outcome: Outcome; error: SandboxError } {
  const error = errorLike(thrown);
  const message = error?.message ?? String(thrown);
  if (flags.outputOverflow) return { outcome: 'output-limit', error: { message } };
  if (flags.wallTimeout || message === 'Script execution timed out.') {
    return { outcome: 'timeout', error: { message: 'The program ran longer than its timeout.' } };
  }
  if ((disposed && /memory limit/i.test(message)) || message === 'Array buffer allocation failed') {
    return { outcome: 'memory-limit', error: { type: error?.name, message } };
  }
  if (!error)
    return { outcome: 'runtime-error', error: { type: 'Error', message: `Uncaught ${message}` } };
  // Frames past the isolate boundary are the service's own: never show them.
  const lines = (error.stack ?? `${error.name}: ${message}`).split('\n');
  const boundary = lines.findIndex((line) => line.includes('<isolated-vm boundary>'));
  const stack = (boundary === -1 ? lines : lines.slice(0, boundary)).join('\n');
  const location = STACK_LOCATION.exec(stack);
  return {
    outcome: 'runtime-error',
    error: {
      type: error.name,
      message,
      traceback: stack,
      ...(location ? { line: Number(location[1]), column: Number(location[2]) } : {}),
    },
  };
}
