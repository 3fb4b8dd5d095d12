import { createCaller, FlagKeyParam, ToggleBody } from '@stagegate/api';
import type { RestRoute } from './routes.js';
import { parse } from './parse.js';

/** The spec's REST contract (snake_case): a thin adapter over the same procedures as the apps use. */
export const betaFeaturesRoutes: readonly RestRoute[] = [
  {
    method: 'get',
    path: '/api/beta-features/status',
    access: 'viewer',
    async handle(_req, _res, ctx) {
      const status = await createCaller(ctx).admin.status();
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
    },
  },
  {
    method: 'get',
    path: '/api/beta-features',
    access: 'member',
    async handle(_req, _res, ctx) {
      const { features, meta } = await createCaller(ctx).betaFeatures.list();
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
    },
  },
  {
    method: 'post',
    path: '/api/beta-features/:key/toggle',
    access: 'member',
    handle: (req, _res, ctx) => {
      const key = parse(FlagKeyParam, req.params.key);
      const { enabled } = parse(ToggleBody, req.body);
      return createCaller(ctx).betaFeatures.toggle({ key, enabled });
    },
  },
];
