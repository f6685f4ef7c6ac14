import type { IncomingMessage, ServerResponse } from 'node:http';
import { Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfigService } from '../config';
import { routeTemplateOf } from '../http/request-context';
import { REQUEST_ID_HEADER, requestIdFor } from '../http/request-id';

/** Everything that may carry a credential is masked before a log line is written. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.refresh_token',
  '*.access_token',
  '*.secretAccessKey',
  '*.apiKey',
  '*.jwtSecret',
];

/** Structured JSON logs: one line per request with id, method, route template, status, latency. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfigService],
      useFactory: (config: AppConfigService) => ({
        // Liveness probes and metric scrapes are never logged (autoLogging.ignore below), so they
        // skip the request logger entirely: pino-http would still build a child logger for each
        // (serialising and redacting its bindings) only to throw it away. Their request id is
        // still set by Fastify and the request-context hook, for the header and problem+json bodies.
        exclude: [
          { method: RequestMethod.GET, path: 'health' },
          { method: RequestMethod.GET, path: 'metrics' },
        ],
        pinoHttp: {
          level: config.get('log').level,
          redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
          // Fastify has already settled the id (genReqId) and middie copied it; reuse it.
          genReqId: (req: IncomingMessage, res: ServerResponse) => {
            const existing = (req as IncomingMessage & { id?: unknown }).id;
            if (typeof existing === 'string') return existing;
            const id = requestIdFor(req);
            res.setHeader(REQUEST_ID_HEADER, id);
            return id;
          },
          // The route template (not the raw URL) is known once the request has been routed.
          customSuccessObject: (
            req: IncomingMessage,
            _res: ServerResponse,
            value: Record<string, unknown>,
          ) => ({
            ...value,
            route: routeTemplateOf(req),
          }),
          customErrorObject: (
            req: IncomingMessage,
            _res: ServerResponse,
            _error: Error,
            value: Record<string, unknown>,
          ) => ({
            ...value,
            route: routeTemplateOf(req),
          }),
          serializers: {
            req: (req: { id: string; method: string; url: string }) => ({
              id: req.id,
              method: req.method,
              url: req.url,
            }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
          autoLogging: {
            ignore: (req: IncomingMessage) => req.url === '/health' || req.url === '/metrics',
          },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
