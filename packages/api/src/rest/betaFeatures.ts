import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { FlagKey } from '@stagegate/flags-core';
import type { Auth } from '../context.js';
import { listBetaFeatures, toggleBetaFeature } from '../domain/betaFeatures.js';
import { lifecycleStatus } from '../domain/status.js';
import { domainError } from '../errors.js';
import type { Services } from '../services.js';
import { parse, requireUser, sendError } from './respond.js';

type UserAuth = Extract<Auth, { kind: 'user' }>;

const ToggleBody = z.strictObject({ enabled: z.boolean() });

/** A handler that runs for a signed-in user and answers errors in the spec's shape. */
function asUser(services: Services, handle: (auth: UserAuth, req: Request) => Promise<unknown>) {
  return async (req: Request, res: Response) => {
    try {
      const auth = await requireUser(services, req, res);
      if (auth) res.json(await handle(auth, req));
    } catch (error) {
      sendError(res, error);
    }
  };
}

/** The spec's REST contract (snake_case), over the same domain services as the tRPC router. */
export function betaFeaturesRoutes(services: Services): express.Router {
  const routes = express.Router();

  routes.get(
    '/api/beta-features/status',
    asUser(services, async (auth) => {
      if (auth.role !== 'admin') throw domainError('FORBIDDEN', 'Only workspace admins can see the lifecycle status');
      const status = await lifecycleStatus(services);
      const stages = Object.fromEntries(
        Object.entries(status.stages).map(([stage, flags]) => [
          stage,
          flags.map((flag) => ({
            key: flag.key,
            name: flag.name,
            ttl_start: flag.ttlStart.slice(0, 10),
            ttl_days: flag.ttlDays,
            days_remaining: flag.daysRemaining,
            owner: flag.owner,
          })),
        ]),
      );
      const ttl_warnings = status.ttlWarnings.map((warning) => ({ key: warning.key, stage: warning.stage, days_remaining: warning.daysRemaining }));
      return { stages, ttl_warnings };
    }),
  );

  routes.get(
    '/api/beta-features',
    asUser(services, async (auth) => {
      const { features, meta } = await listBetaFeatures(services, auth);
      return {
        features: features.map((f) => ({
          key: f.key,
          name: f.name,
          description: f.description,
          stage: f.stage,
          enabled: f.enabled,
          kb_article: f.kbArticle,
          category: f.category,
        })),
        meta: { total_available: meta.totalAvailable, total_enabled: meta.totalEnabled },
      };
    }),
  );

  routes.post(
    '/api/beta-features/:key/toggle',
    asUser(services, async (auth, req) => {
      const key = parse(FlagKey, req.params.key);
      const { enabled } = parse(ToggleBody, req.body);
      return toggleBetaFeature(services, auth, { key, enabled });
    }),
  );

  return routes;
}
