import { RequestMethod, VersioningType } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AppConfigService } from './core/config';
import { redirectUnversioned, vendorVersionNegotiation } from './core/http/api-versioning';
import { registerBodyParsers } from './core/http/body-parsers';
import { createHttpAdapter } from './core/http/http-adapter';
import { requestContextHook } from './core/http/request-context';
import { httpMetricsHook } from './core/metrics/http-metrics.hook';
import { MetricsService } from './core/metrics/metrics.service';
import { createValidationPipe } from './core/http/validation';
import { mountSwagger } from './core/openapi/swagger';

/**
 * Builds the HTTP application exactly as production runs it; tests and the OpenAPI generator use
 * this too, so they exercise the real hooks, pipes, guards and filters.
 */
export async function createHttpApp(): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createHttpAdapter(), {
    bufferLogs: true,
    bodyParser: false,
  });
  configureHttpApp(app);
  await app.init();
  return app;
}

export function configureHttpApp(app: NestFastifyApplication): void {
  const config = app.get(AppConfigService);
  const http = config.get('http');
  const fastify = app.getHttpAdapter().getInstance();
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  // Fastify sends no X-Powered-By and computes no ETag: JSON answers are per-user and change with
  // every job state, so conditional GETs would rarely hit (Swagger UI's static files keep theirs).
  // Security headers are set by the Node server itself (src/core/http/http-adapter.ts).
  app.enableCors({
    origin: http.corsOrigins.length > 0 ? http.corsOrigins : false,
    exposedHeaders: ['X-Request-ID', 'Retry-After', 'Location', 'Deprecation', 'Sunset', 'Link'],
  });
  // onRequest hooks run in this order, after routing and before the body is read; the request
  // logger (nestjs-pino's middleware) runs after them.
  fastify.addHook('onRequest', requestContextHook);
  fastify.addHook('onRequest', httpMetricsHook(app.get(MetricsService)));
  fastify.addHook('onRequest', vendorVersionNegotiation);
  fastify.addHook('onRequest', redirectUnversioned(http.apiSunsetDate));
  registerBodyParsers(fastify, http.bodyLimit);
  applyRouting(app);
  app.useGlobalPipes(createValidationPipe());
  mountSwagger(app);
}

/** URI versioning under /api/v1; health and metrics stay at the root, unversioned. */
export function applyRouting(app: NestFastifyApplication): void {
  app.setGlobalPrefix('api', {
    exclude: [
      { path: 'health', method: RequestMethod.ALL },
      { path: 'health/(.*)', method: RequestMethod.ALL },
      { path: 'metrics', method: RequestMethod.ALL },
    ],
  });
  app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
}
