import { DEMO_TOKENS } from '@stagegate/db/demo';

/** One read path as a client sends it; the 304 case gets its If-None-Match once the 200 has been seen. */
export interface Scenario {
  name: string;
  path: string;
  token: string;
  status: 200 | 304;
  /** What the throughput goal compares it with: SDK sync and the REST contract ≥ 0.7× bare Express, tRPC ≥ 0.5×. */
  kind: 'rest' | 'sdk' | 'trpc';
}

export const EVALUATED_KEYS = ['auto-tagging-v2', 'global-chat-enabled', 'phoenix-pipeline-enabled'];
const evaluateInput = encodeURIComponent(JSON.stringify({ keys: EVALUATED_KEYS }));

export const SCENARIOS: readonly Scenario[] = [
  { name: 'REST /api/beta-features', path: '/api/beta-features', token: DEMO_TOKENS.member, status: 200, kind: 'rest' },
  { name: 'tRPC betaFeatures.list', path: '/trpc/betaFeatures.list', token: DEMO_TOKENS.member, status: 200, kind: 'trpc' },
  { name: 'snapshot 200', path: '/api/flags/snapshot', token: DEMO_TOKENS.service, status: 200, kind: 'sdk' },
  { name: 'snapshot 304', path: '/api/flags/snapshot', token: DEMO_TOKENS.service, status: 304, kind: 'sdk' },
  { name: 'tRPC flags.evaluate (3 keys)', path: `/trpc/flags.evaluate?input=${evaluateInput}`, token: DEMO_TOKENS.member, status: 200, kind: 'trpc' },
];

/** The systems compared: the real server, and two that send the bytes it sent. */
export const SYSTEMS = ['stagegate', 'express', 'raw'] as const;
export type System = (typeof SYSTEMS)[number];
