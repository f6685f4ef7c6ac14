import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { REQUEST_ID_HEADER } from './request-id';

export interface RequestContext {
  readonly requestId: string;
  readonly ip?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();
const ROUTE_TEMPLATE = Symbol('routeTemplate');

/** Request-scoped facts (request id, client address) for code far from the controller. */
export const RequestContextStore = {
  current(): RequestContext | undefined {
    return storage.getStore();
  },
};

/**
 * First onRequest hook: echoes the request id (settled by the adapter's genReqId) and runs the
 * rest of the request inside the context. Fastify binds its body parsing to an AsyncResource,
 * so controllers and services still see the store after the body has been read.
 */
export function requestContextHook(
  request: FastifyRequest,
  reply: FastifyReply,
  done: HookHandlerDoneFunction,
): void {
  reply.header(REQUEST_ID_HEADER, request.id);
  // pino-http only sees the Node request: hand it the route template Fastify matched.
  (request.raw as RoutedMessage)[ROUTE_TEMPLATE] = request.routeOptions.url;
  storage.run(
    {
      requestId: request.id,
      // Resolved only when read (audit lines): with a trusted proxy it walks X-Forwarded-For.
      get ip() {
        return request.ip;
      },
    },
    done,
  );
}

type RoutedMessage = IncomingMessage & { [ROUTE_TEMPLATE]?: string };

/** The route template (`/api/v1/datasets/:id`) of a request; undefined when no route matched. */
export function routeTemplateOf(req: IncomingMessage): string | undefined {
  return (req as RoutedMessage)[ROUTE_TEMPLATE];
}
