/**
 * Sandboxed code execution: what isolation costs.
 *
 *   npx nest build && node --no-node-snapshot dist/bench/code-security.js [--seconds 10]
 *
 * Calls the sandbox classes directly (no HTTP, no database), as the service does, and prints:
 *  - the overhead of an empty execution per language (targets: < 50 ms JavaScript, < 300 ms Python),
 *    median and p95 of sequential runs, sandbox creation and teardown included;
 *  - the extra cost of importing numpy and of importing pandas in Python (median minus empty);
 *  - sustained executions per second of an empty program, per language, with as many runs in
 *    flight as the global concurrency cap allows.
 * Runs as root (the Python sandbox switches to an unprivileged uid), like the API.
 */
import { EXECUTION_LIMITS } from '../src/modules/code-security/code-security.limits';
import { JavaScriptSandbox } from '../src/modules/code-security/sandbox/javascript-sandbox';
import { PythonSandbox } from '../src/modules/code-security/sandbox/python-sandbox';
import type { Sandbox } from '../src/modules/code-security/sandbox/sandbox.types';
import { fmt, percentile } from './support';

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 10;

async function timeRuns(sandbox: Sandbox, code: string, runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const result = await sandbox.run({
      code,
      inputs: {},
      timeoutMs: 30_000,
      memoryMb: 512,
      slot: 0,
    });
    if (result.outcome !== 'success')
      throw new Error(
        `${sandbox.language} ${code}: ${result.outcome} ${result.error?.message ?? ''}`,
      );
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

async function sustained(sandbox: Sandbox, code: string): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  const worker = async (slot: number): Promise<void> => {
    while (performance.now() < deadline) {
      const result = await sandbox.run({
        code,
        inputs: {},
        timeoutMs: 30_000,
        memoryMb: 512,
        slot,
      });
      if (result.outcome !== 'success') throw new Error(`${sandbox.language}: ${result.outcome}`);
      done++;
    }
  };
  const started = performance.now();
  await Promise.all(
    Array.from({ length: EXECUTION_LIMITS.maxConcurrentGlobal }, (_, slot) => worker(slot)),
  );
  return done / ((performance.now() - started) / 1000);
}

function line(label: string, sorted: number[]): void {
  console.log(
    `${label.padEnd(34)} median ${fmt(percentile(sorted, 50), 1).padStart(7)} ms   p95 ${fmt(percentile(sorted, 95), 1).padStart(7)} ms   (n=${sorted.length})`,
  );
}

async function main(): Promise<void> {
  const js = new JavaScriptSandbox();
  const python = new PythonSandbox();
  await timeRuns(js, '0', 5);
  await timeRuns(python, 'pass', 2);

  const jsEmpty = await timeRuns(js, '0', 50);
  line('javascript: empty execution', jsEmpty);
  const pyEmpty = await timeRuns(python, 'pass', 20);
  line('python: empty execution', pyEmpty);
  const pyNumpy = await timeRuns(python, 'import numpy', 8);
  line('python: import numpy', pyNumpy);
  const pyPandas = await timeRuns(python, 'import pandas', 8);
  line('python: import pandas', pyPandas);
  const base = percentile(pyEmpty, 50);
  console.log(
    `python: extra cost of numpy             ${fmt(percentile(pyNumpy, 50) - base, 1)} ms (median)`,
  );
  console.log(
    `python: extra cost of pandas            ${fmt(percentile(pyPandas, 50) - base, 1)} ms (median)`,
  );

  console.log(`sustained, ${EXECUTION_LIMITS.maxConcurrentGlobal} in flight, ${seconds} s each:`);
  console.log(
    `  javascript empty program             ${fmt(await sustained(js, '0'), 1)} executions/s`,
  );
  console.log(
    `  python empty program                 ${fmt(await sustained(python, 'pass'), 1)} executions/s`,
  );
  console.log(
    `  python "import pandas"               ${fmt(await sustained(python, 'import pandas'), 1)} executions/s`,
  );
  python.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
