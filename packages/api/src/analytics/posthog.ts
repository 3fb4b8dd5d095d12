import { PostHog } from 'posthog-node';
import type { Analytics } from '../services.js';

export interface AnalyticsOptions {
  /** PostHog project API key; defaults to POSTHOG_API_KEY. Without one, analytics is off. */
  apiKey?: string | undefined;
  /** Defaults to POSTHOG_HOST, then PostHog's US cloud. */
  host?: string | undefined;
  /** Events queued before a batch is sent (posthog-node's default is 20). */
  flushAt?: number;
  /** Longest an event waits in the queue before it is sent. */
  flushIntervalMs?: number;
  /** One request's time limit; a hanging PostHog must not hold sockets for long. */
  requestTimeoutMs?: number;
  /** Retries of a failed batch; small, so an outage costs little and shutdown stays quick. */
  fetchRetryCount?: number;
  fetchRetryDelayMs?: number;
  /** The most shutdown() waits for the last batch (at most 2000 ms). */
  shutdownTimeoutMs?: number;
  /** Where the one "analytics is off" line goes. */
  log?: (line: string) => void;
}

const DEFAULT_HOST = 'https://us.i.posthog.com';
const MAX_SHUTDOWN_MS = 2_000;

/**
 * Product analytics through posthog-node. capture() only queues: the client sends batches in the
 * background, so a slow or unreachable PostHog never delays or fails the request that captured.
 */
export function createAnalytics(options: AnalyticsOptions = {}): Analytics {
  // An explicit `apiKey: undefined` means off, whatever the environment says (tests rely on it).
  const apiKey = 'apiKey' in options ? options.apiKey : process.env.POSTHOG_API_KEY;
  const log = options.log ?? ((line: string) => console.info(line));
  if (!apiKey) {
    log('analytics: off (POSTHOG_API_KEY is not set), no events are sent');
    return { enabled: false, capture: () => undefined, shutdown: async () => undefined };
  }

  const shutdownTimeoutMs = Math.min(options.shutdownTimeoutMs ?? MAX_SHUTDOWN_MS, MAX_SHUTDOWN_MS);
  const client = new PostHog(apiKey, {
    host: options.host ?? process.env.POSTHOG_HOST ?? DEFAULT_HOST,
    flushAt: options.flushAt ?? 20,
    flushInterval: options.flushIntervalMs ?? 5_000,
    requestTimeout: options.requestTimeoutMs ?? 2_000,
    fetchRetryCount: options.fetchRetryCount ?? 1,
    fetchRetryDelay: options.fetchRetryDelayMs ?? 500,
    // Server-side events carry the API server's IP, which says nothing about the user.
    disableGeoip: true,
    // Only capture is used: never poll PostHog for flag definitions.
    featureFlagsPollingInterval: null,
  });
  let closing: Promise<void> | undefined;

  return {
    enabled: true,
    capture({ distinctId, event, properties }) {
      if (closing) return;
      try {
        client.capture({ distinctId, event, properties });
      } catch (error) {
        // A malformed event must cost the user nothing; the operator still hears about it.
        console.error('analytics: capture failed', error);
      }
    },
    shutdown() {
      closing ??= Promise.race([
        // posthog-node races its drain against a limit; ours, a little later, also covers anything before it.
        client.shutdown(Math.max(0, shutdownTimeoutMs - 100)).catch((error: unknown) => console.error('analytics: shutdown failed', error)),
        new Promise<void>((resolve) => setTimeout(resolve, shutdownTimeoutMs).unref()),
      ]);
      return closing;
    },
  };
}
