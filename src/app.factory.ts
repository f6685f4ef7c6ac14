import { RequestMethod, VersioningType } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AppConfigService } from './core/config';
import { redirectUnversioned, vendorVersionNegotiation } from './core/http/api-versioning';
import { RequestContextStore } from './core/http/request-context';
import { securityHeaders } from './core/http/security-headers';
import { httpMetricsMiddleware } from './core/metrics/http-metrics.middleware';
import { MetricsService } from './core/metrics/metrics.service';
import { createValidationPipe } from './core/http/validation';
import { mountSwagger } from './core/openapi/swagger';

/**
 * Builds the HTTP application exactly as production runs it; tests and the OpenAPI generator use
 * this too, so they exercise the real middleware, pipes, guards and filters.
 */
export async function createHttpApp(): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bufferLogs: true,
    bodyParser: false,
  });
  configureHttpApp(app);
  await app.init();
  return app;
}

export function configureHttpApp(app: NestExpressApplication): void {
  const config = app.get(AppConfigService);
  const http = config.get('http');
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  // No ETag on API responses: Express would hash every JSON body (SHA-1) and, to do so, turn it
  // into a Buffer that Node then writes in a second write after the headers; without it, a small
  // body goes out in the same write as the headers. Our JSON answers are per-user and change
  // with every job state, so conditional GETs would rarely hit (the Swagger UI's static files
  // keep their own ETags).
  app.set('etag', false);
  app.use(securityHeaders());
  app.enableCors({
    origin: http.corsOrigins.length > 0 ? http.corsOrigins : false,
    exposedHeaders: ['X-Request-ID', 'Retry-After', 'Location', 'Deprecation', 'Sunset', 'Link'],
  });
  app.use((req: Request, res: Response, next: NextFunction) =>
    RequestContextStore.middleware(req, res, next),
  );
  app.use(httpMetricsMiddleware(app.get(MetricsService)));
  app.use(vendorVersionNegotiation);
  app.use(redirectUnversioned(http.apiSunsetDate));
  app.useBodyParser('json', {
    limit: http.bodyLimit,
    type: ['application/json', 'application/*+json'],
  });
  app.useBodyParser('urlencoded', { limit: http.bodyLimit, extended: false });
  applyRouting(app);
  app.useGlobalPipes(createValidationPipe());
  mountSwagger(app);
}

/** URI versioning under /api/v1; health and metrics stay at the root, unversioned. */
export function applyRouting(app: NestExpressApplication): void {
  app.setGlobalPrefix('api', {
    exclude: [
      { path: 'health', method: RequestMethod.ALL },
      { path: 'health/(.*)', method: RequestMethod.ALL },
      { path: 'metrics', method: RequestMethod.ALL },
    ],
  });
  app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
}
