import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { pathOf } from '../http/request-path';
import type { MetricsService } from './metrics.service';

type Observe = (seconds: number) => void;

/**
 * An onRequest hook that times every request and labels it with the route template Fastify
 * matched (not the raw URL, which would carry ids); requests that matched no route share one
 * label.
 */
export function httpMetricsHook(metrics: MetricsService) {
  // One bound child per label combination, made on first use: `startTimer()(labels)` would merge
  // and validate a labels object on every request. The map holds no more entries than the
  // histogram itself already has series (method × route template × status).
  const observers = new Map<string, Observe>();
  const observerFor = (method: string, route: string, statusCode: number): Observe => {
    const key = `${method} ${route} ${statusCode}`;
    let observe = observers.get(key);
    if (!observe) {
      const child = metrics.httpDuration.labels(method, route, String(statusCode));
      observe = (seconds) => child.observe(seconds);
      observers.set(key, observe);
    }
    return observe;
  };

  return (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    if (pathOf(request.url) === '/metrics') return done();
    const started = process.hrtime.bigint();
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.inFlight.inc();
    // 'close', not Fastify's onResponse: it also fires when the client goes away mid-request,
    // so the in-flight gauge cannot drift upwards.
    reply.raw.once('close', () => {
      metrics.inFlight.dec();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      observerFor(request.method, route, reply.raw.statusCode)(seconds);
    });
    done();
  };
}
