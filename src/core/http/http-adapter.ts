import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { requestIdFor } from './request-id';
import { securityHeaders } from './security-headers';

const NOTHING_NEXT = (): void => undefined;

/**
 * The HTTP platform: Fastify, chosen over Express for its cost per request (docs/benchmarks.md,
 * issue 2). Everything here is fixed at construction; configureHttpApp adds the rest.
 */
export function createHttpAdapter(): FastifyAdapter {
  const setSecurityHeaders = securityHeaders();
  return new FastifyAdapter({
    // Behind a proxy on the same host, the client address comes from X-Forwarded-For.
    trustProxy: 'loopback',
    // Request ids: a well-formed incoming X-Request-ID is kept, otherwise a UUID is made.
    genReqId: requestIdFor,
    requestIdHeader: false,
    // As Express routed: `/api/v1/datasets/` is `/api/v1/datasets`.
    routerOptions: { ignoreTrailingSlash: true },
    // Our own Node server: the security headers go on before Fastify sees the request, so every
    // answer has them (404s, errors, CORS preflights, Swagger UI files), as with Express, where
    // they were the first middleware; and Node's default timeouts stay as they were (Fastify
    // would otherwise disable the request timeout and keep idle connections open for 72 s).
    serverFactory: (handler: (req: IncomingMessage, res: ServerResponse) => void) =>
      createServer((req, res) => {
        setSecurityHeaders(req, res, NOTHING_NEXT);
        handler(req, res);
      }),
  });
}
