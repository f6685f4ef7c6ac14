import { type IncomingMessage, ServerResponse } from 'node:http';
import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './app-error';
import { statusOf } from './error-kind';
import { PROBLEM_CONTENT_TYPE, problemType, type ProblemDetails } from './problem';
import { requestIdOf } from '../http/request-id';

const TITLES: Record<number, { code: string; title: string }> = {
  400: { code: 'bad-request', title: 'Your request is not valid' },
  401: { code: 'unauthenticated', title: 'Authentication required' },
  403: { code: 'forbidden', title: 'Not allowed' },
  404: { code: 'not-found', title: 'Resource not found' },
  405: { code: 'method-not-allowed', title: 'Method not allowed' },
  406: { code: 'not-acceptable', title: 'Not acceptable' },
  409: { code: 'conflict', title: 'Conflict with the current state' },
  413: { code: 'payload-too-large', title: 'Request body too large' },
  415: { code: 'unsupported-media-type', title: 'Unsupported media type' },
  422: { code: 'unprocessable', title: 'Request cannot be carried out' },
  429: { code: 'rate-limited', title: 'Too many requests' },
  500: { code: 'internal-error', title: 'Internal server error' },
  503: { code: 'service-unavailable', title: 'Service unavailable' },
};

/** Turns anything thrown while serving a request into an application/problem+json answer. */
export function toProblem(
  error: unknown,
  req: FastifyRequest | RawRequest,
): { problem: ProblemDetails; headers: Record<string, string> } {
  const base = { instance: req.originalUrl ?? req.url ?? '', requestId: requestIdOf(req) };
  if (error instanceof AppError) {
    const status = statusOf(error.kind);
    return {
      problem: {
        ...error.extensions,
        type: problemType(error.code),
        title: error.title,
        status,
        detail: error.detail,
        ...base,
        ...(error.errors ? { errors: error.errors } : {}),
      },
      headers: error.headers,
    };
  }
  const status = httpStatusOf(error);
  const known = TITLES[status] ?? { code: `http-${status}`, title: 'Request failed' };
  return {
    problem: {
      type: problemType(known.code),
      title: known.title,
      status,
      detail:
        status >= 500
          ? 'An unexpected error occurred; the request id identifies it in the logs.'
          : httpDetailOf(error, known.title),
      ...base,
    },
    headers: {},
  };
}

function httpStatusOf(error: unknown): number {
  if (error instanceof HttpException) return error.getStatus();
  // Fastify's errors (body too large, malformed JSON) and middleware errors carry a status.
  if (typeof error === 'object' && error !== null) {
    const candidate =
      (error as { status?: unknown; statusCode?: unknown }).status ??
      (error as { statusCode?: unknown }).statusCode;
    if (typeof candidate === 'number' && candidate >= 400 && candidate < 600) return candidate;
  }
  return 500;
}

function httpDetailOf(error: unknown, fallback: string): string {
  if (error instanceof HttpException) {
    const response = error.getResponse();
    if (typeof response === 'string') return response;
    const message = (response as { message?: unknown }).message;
    if (typeof message === 'string') return message;
    if (Array.isArray(message)) return message.join('; ');
  }
  if (error instanceof Error && error.message) return error.message;
  return fallback;
}

/**
 * Writes the problem on Fastify's reply, or on Node's response when the error came from a
 * middleware (they run on the Node request and response, under @fastify/middie).
 */
export function sendProblem(
  res: FastifyReply | ServerResponse,
  problem: ProblemDetails,
  headers: Record<string, string>,
): void {
  const body = JSON.stringify(problem);
  if (res instanceof ServerResponse) {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res.statusCode = problem.status;
    res.setHeader('Content-Type', PROBLEM_CONTENT_TYPE);
    res.end(body);
    return;
  }
  res.headers(headers).code(problem.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

/** Node's request as middleware sees it: middie adds the URL before its path was stripped. */
type RawRequest = IncomingMessage & { originalUrl?: string; id?: unknown };

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<FastifyRequest | RawRequest>();
    const res = http.getResponse<FastifyReply | ServerResponse>();
    const { problem, headers } = toProblem(error, req);
    if (problem.status >= 500) {
      this.logger.error({ err: error, requestId: problem.requestId }, 'request failed');
    }
    const raw = res instanceof ServerResponse ? res : res.raw;
    if (raw.headersSent) {
      raw.end();
      return;
    }
    sendProblem(res, problem, headers);
  }
}
