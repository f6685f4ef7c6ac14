import type { NextFunction, Request, Response } from 'express';
import type { MetricsService } from './metrics.service';

/**
 * Times every request and labels it with the route template Express matched (not the raw URL,
 * which would carry ids); requests that matched no route share one label.
 */
export function httpMetricsMiddleware(metrics: MetricsService) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.path === '/metrics') return next();
    const stopTimer = metrics.httpDuration.startTimer();
    metrics.inFlight.inc();
    res.once('close', () => {
      metrics.inFlight.dec();
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      stopTimer({ method: req.method, route, status_code: String(res.statusCode) });
    });
    next();
  };
}
