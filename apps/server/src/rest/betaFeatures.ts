import { createCaller, FlagKeyParam, listBetaFeatures, requireMember, timeResolution, ToggleBody, type BetaFeature, type BetaFeatureList } from '@stagegate/api';
import type { HotRestRoute, RestRoute } from './routes.js';
import { parse } from './parse.js';

/** Each feature object's REST JSON (snake_case), made once: the domain hands out the same objects while a flag stands. */
const featureJson = new WeakMap<BetaFeature, string>();
/** Each list's whole REST body: the domain hands out the same list while a user's answers stand. */
const listBodies = new WeakMap<BetaFeatureList, Buffer>();

function jsonOf(f: BetaFeature): string {
  let json = featureJson.get(f);
  if (json === undefined) {
    json = JSON.stringify({ key: f.key, name: f.name, description: f.description, stage: f.stage, enabled: f.enabled, kb_article: f.kbArticle, category: f.category });
    featureJson.set(f, json);
  }
  return json;
}

function bodyOf(list: BetaFeatureList): Buffer {
  let body = listBodies.get(list);
  if (body === undefined) {
    const meta = JSON.stringify({ total_available: list.meta.totalAvailable, total_enabled: list.meta.totalEnabled });
    body = Buffer.from(`{"features":[${list.features.map(jsonOf).join(',')}],"meta":${meta}}`);
    listBodies.set(list, body);
  }
  return body;
}

/** The spec's REST contract (snake_case): a thin adapter over the procedures the apps use, and for the list over the same policy and domain. */
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
    hot: true,
    // The hottest read goes from the policy's grant straight to the domain the procedure calls: tRPC's
    // middleware layers would add ~10 µs of CPU to every request.
    async handle(_req, res, { services, auth, authError }) {
      const member = requireMember(auth, authError);
      const body = bodyOf(await timeResolution(services.metrics, 'betaFeatures.list', () => listBetaFeatures(services, member)));
      res.statusCode = 200;
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end(body);
    },
  } satisfies HotRestRoute,
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
