import { ERRORS, type Services } from '@stagegate/api';
import type { Request, Response } from 'express';

/**
 * GET /healthz from the health monitor, without a query of its own: 200 `ok`, or 503 `degraded`
 * (code DEGRADED) with what is served stale, while reads go on being answered from cache.
 */
export function healthz(services: Services) {
  return (_req: Request, res: Response) => {
    const report = services.health.report();
    res.set('cache-control', 'no-store');
    if (report.status === 'ok') return void res.json(report);
    res.status(ERRORS.DEGRADED.status).json(report);
  };
}
