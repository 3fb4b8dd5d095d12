import { waitFor } from '@stagegate/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { startIngestion } from '../testing/posthogIngestion.js';
import { createAnalytics } from './posthog.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

describe('createAnalytics with the real posthog-node client', () => {
  it('delivers the spec events with their properties to PostHog /batch/', async () => {
    const ingestion = await startIngestion();
    cleanups.push(ingestion.close);
    const analytics = createAnalytics({ apiKey: 'phc_test', host: ingestion.host, flushAt: 4 });
    expect(analytics.enabled).toBe(true);

    analytics.capture({ distinctId: 'user-1', event: 'beta_features_viewed', properties: { feature_count: 5, enabled_count: 2 } });
    analytics.capture({
      distinctId: 'user-1',
      event: 'beta_feature_enabled',
      properties: { feature_key: 'auto-tagging-v2', feature_stage: 'beta', workspace_id: 'ws-1' },
    });
    analytics.capture({
      distinctId: 'user-1',
      event: 'beta_feature_disabled',
      properties: { feature_key: 'internal-search', feature_stage: 'alpha', workspace_id: 'ws-1' },
    });
    analytics.capture({ distinctId: 'user-2', event: 'beta_feature_discovered', properties: { feature_key: 'auto-tagging-v2', location: 'settings' } });

    await waitFor(() => ingestion.events.length === 4, 3_000, 'the 4 events');
    await analytics.shutdown();

    expect(ingestion.batches.every((b) => b.path === '/batch/' && b.api_key === 'phc_test')).toBe(true);
    const byEvent = Object.fromEntries(ingestion.events.map((e) => [e.event, e]));
    expect(byEvent.beta_features_viewed).toMatchObject({ distinct_id: 'user-1', properties: { feature_count: 5, enabled_count: 2 } });
    expect(byEvent.beta_feature_enabled).toMatchObject({
      distinct_id: 'user-1',
      properties: { feature_key: 'auto-tagging-v2', feature_stage: 'beta', workspace_id: 'ws-1' },
    });
    expect(byEvent.beta_feature_disabled).toMatchObject({
      properties: { feature_key: 'internal-search', feature_stage: 'alpha', workspace_id: 'ws-1' },
    });
    expect(byEvent.beta_feature_discovered).toMatchObject({
      distinct_id: 'user-2',
      properties: { feature_key: 'auto-tagging-v2', location: 'settings' },
    });
  });

  it('sends what is still queued on shutdown', async () => {
    const ingestion = await startIngestion();
    cleanups.push(ingestion.close);
    const analytics = createAnalytics({ apiKey: 'phc_test', host: ingestion.host, flushAt: 100, flushIntervalMs: 60_000 });
    analytics.capture({ distinctId: 'user-1', event: 'beta_feature_discovered', properties: { feature_key: 'x', location: 'nav' } });
    expect(ingestion.events).toHaveLength(0);
    await analytics.shutdown();
    expect(ingestion.events.map((e) => e.event)).toEqual(['beta_feature_discovered']);
  });

  it('never delays the caller when PostHog hangs, and shuts down within 2 s', async () => {
    // Accepts every request and never answers.
    const ingestion = await startIngestion({ respond: () => undefined });
    cleanups.push(ingestion.close);
    const warnings: string[] = [];
    const analytics = createAnalytics({ apiKey: 'phc_test', host: ingestion.host, flushAt: 1, requestTimeoutMs: 30_000, warn: (line) => warnings.push(line) });

    const started = performance.now();
    for (let i = 0; i < 200; i++) {
      analytics.capture({ distinctId: `user-${i}`, event: 'beta_feature_enabled', properties: { feature_key: 'k', feature_stage: 'beta', workspace_id: 'w' } });
    }
    expect(performance.now() - started).toBeLessThan(100);
    await waitFor(() => ingestion.requests() > 0, 3_000, 'the first request');

    const shutdownStarted = performance.now();
    await analytics.shutdown();
    expect(performance.now() - shutdownStarted).toBeLessThanOrEqual(2_050);
    expect(warnings).toEqual(['analytics: PostHog took more than 1900 ms at shutdown, events still unsent are lost']);
  });

  it('shuts down quickly when PostHog is unreachable', async () => {
    const closed = await startIngestion();
    await closed.close();
    const warnings: string[] = [];
    const analytics = createAnalytics({ apiKey: 'phc_test', host: closed.host, flushAt: 100, warn: (line) => warnings.push(line) });
    analytics.capture({ distinctId: 'user-1', event: 'beta_features_viewed', properties: { feature_count: 1, enabled_count: 0 } });

    const started = performance.now();
    await analytics.shutdown();
    expect(performance.now() - started).toBeLessThan(1_000);
    // One line, not posthog-node's stack trace.
    expect(warnings).toEqual([expect.stringMatching(/^analytics: sending to PostHog failed, events may be lost: Network error while fetching PostHog: .*ECONNREFUSED/)]);
  });

  it('retries a failed batch a bounded number of times', async () => {
    const ingestion = await startIngestion({
      respond: (res) => {
        res.statusCode = 503;
        res.end('unavailable');
      },
    });
    cleanups.push(ingestion.close);
    const warnings: string[] = [];
    const analytics = createAnalytics({ apiKey: 'phc_test', host: ingestion.host, flushAt: 1, fetchRetryCount: 1, fetchRetryDelayMs: 50, warn: (line) => warnings.push(line) });
    analytics.capture({ distinctId: 'user-1', event: 'beta_features_viewed', properties: { feature_count: 1, enabled_count: 1 } });

    await waitFor(() => ingestion.requests() === 2, 3_000, 'the first try and its retry');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ingestion.requests()).toBe(2);
    await analytics.shutdown();
    expect(warnings).toEqual([expect.stringMatching(/^analytics: sending to PostHog failed, events may be lost: HTTP error while fetching PostHog: status=503/)]);
  });

  it('is off without an API key and says so in one line', async () => {
    const lines: string[] = [];
    const analytics = createAnalytics({ apiKey: undefined, log: (line) => lines.push(line) });
    analytics.capture({ distinctId: 'user-1', event: 'beta_features_viewed', properties: { feature_count: 1, enabled_count: 0 } });
    await analytics.shutdown();
    expect(analytics.enabled).toBe(false);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/off.*POSTHOG_API_KEY/);
  });
});
