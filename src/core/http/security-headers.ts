import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

/** Swagger UI loads its own script and style files from /docs; nothing comes from elsewhere. */
export const HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
    },
  },
};

interface RecordedHeaders {
  set: [name: string, value: string | number | readonly string[]][];
  removed: string[];
}

/**
 * Runs helmet once against a response that only records what it is told, so the headers below
 * are exactly helmet's (names, values, removals) for these options.
 */
function recordHelmetHeaders(options: HelmetOptions): RecordedHeaders {
  const recorded: RecordedHeaders = { set: [], removed: [] };
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      recorded.set.push([name, value]);
      return recorder;
    },
    removeHeader(name: string) {
      recorded.removed.push(name);
    },
  };
  let finished = false;
  helmet(options)(
    {} as IncomingMessage,
    recorder as unknown as ServerResponse,
    (error?: unknown) => {
      if (error) throw new Error('helmet rejected its options', { cause: error });
      finished = true;
    },
  );
  // Every helmet middleware is synchronous; one that was not would not have been recorded.
  if (!finished) throw new Error('helmet did not finish synchronously; headers not recorded');
  return recorded;
}

/**
 * The same security headers as `helmet(options)`, set by one Node-style middleware. Helmet runs a
 * chain of a dozen middlewares per request (each with its own `next` hop through a closure) to
 * set headers that, with a static configuration like ours, never change; recording them once at
 * boot and replaying them is measurably cheaper on every request (docs/benchmarks.md, issue 2).
 * Options whose values depend on the request (a CSP nonce function) cannot be recorded: keep them
 * static. It works on Node's response, so it can run before Fastify sees the request (see
 * src/core/http/http-adapter.ts) and every answer carries the headers, 404s and errors included.
 */
export function securityHeaders(
  options: HelmetOptions = HELMET_OPTIONS,
): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  const { set, removed } = recordHelmetHeaders(options);
  return (_req, res, next) => {
    for (const [name, value] of set) res.setHeader(name, value);
    for (const name of removed) res.removeHeader(name);
    next();
  };
}
