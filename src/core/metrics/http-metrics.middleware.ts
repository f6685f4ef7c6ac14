import type { NextFunction, Request, Response } from 'express';
import type { MetricsService } from './metrics.service';

type Observe = (seconds: number) => void;

/**
 * Times every request and labels it with the route template Express matched (not the raw URL,
 * which would carry ids); requests that matched no route share one label.
 */
export function httpMetricsMiddleware(metrics: MetricsService) {
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

  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.path === '/metrics') return next();
    const started = process.hrtime.bigint();
    metrics.inFlight.inc();
    res.once('close', () => {
      metrics.inFlight.dec();
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      observerFor(req.method, route, res.statusCode)(seconds);
    });
    next();
  };
}
