import { PostHog, type PostHogOptions } from 'posthog-node';
import { createLogger, type Logger } from '../logger.js';
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
  /** Where the one "analytics is off" line goes (default: `logger`, level info). */
  log?: (line: string) => void;
  /** Where a failed send to PostHog is reported, one line each (default: `logger`, level warn). */
  warn?: (line: string) => void;
  /** The process's log (default: a new one on stdout). */
  logger?: Logger;
}

const DEFAULT_HOST = 'https://us.i.posthog.com';
const MAX_SHUTDOWN_MS = 2_000;

/** An error and its causes in one line: "Network error while fetching PostHog: fetch failed: connect ECONNREFUSED …". */
function oneLine(error: unknown): string {
  const messages: string[] = [];
  for (let e: unknown = error; e !== undefined && messages.length < 5; e = e instanceof Error ? e.cause : undefined) {
    messages.push(e instanceof Error ? e.message : String(e));
  }
  return messages.join(': ');
}

/**
 * A posthog-node client that reports each failed send once, through `tell`. posthog-node emits an
 * 'error' event for it, and then prints it again with console.error, stack and response included (no
 * option turns that off), when a background flush or flush() rejects or a send fails while its
 * shutdown() waits. Here flushes never reject, and createAnalytics calls posthog-node's shutdown()
 * only when nothing is in flight.
 */
function createClient(apiKey: string, options: PostHogOptions, tell: (error: unknown) => void): PostHog {
  const told = new WeakSet<object>();
  const tellOnce = (error: unknown) => {
    if (typeof error === 'object' && error !== null) {
      if (told.has(error)) return;
      told.add(error);
    }
    tell(error);
  };
  class QuietPostHog extends PostHog {
    protected override flushAutomatic(): Promise<void> {
      return super.flushAutomatic().catch(tellOnce);
    }
    override flush(): Promise<void> {
      return super.flush().catch(tellOnce);
    }
  }
  const client = new QuietPostHog(apiKey, options);
  // The same error object as the rejection, when there is one: tellOnce says it once.
  client.on('error', tellOnce);
  return client;
}

/**
 * Product analytics through posthog-node. capture() only queues: the client sends batches in the
 * background, so a slow or unreachable PostHog never delays or fails the request that captured.
 */
export function createAnalytics(options: AnalyticsOptions = {}): Analytics {
  // An explicit `apiKey: undefined` means off, whatever the environment says (tests rely on it).
  const apiKey = 'apiKey' in options ? options.apiKey : process.env.POSTHOG_API_KEY;
  const logger = options.logger ?? createLogger();
  const log = options.log ?? ((line: string) => logger.info(line));
  if (!apiKey) {
    log('analytics: off (POSTHOG_API_KEY is not set), no events are sent');
    return { enabled: false, capture: () => undefined, shutdown: async () => undefined };
  }

  const shutdownTimeoutMs = Math.min(options.shutdownTimeoutMs ?? MAX_SHUTDOWN_MS, MAX_SHUTDOWN_MS);
  const warn = options.warn ?? ((line: string) => logger.warn(line));
  let failures = 0;
  const tell = (error: unknown) => {
    failures++;
    warn(`analytics: sending to PostHog failed, events may be lost: ${oneLine(error)}`);
  };
  const client = createClient(apiKey, {
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
  }, tell);
  let closing: Promise<void> | undefined;

  return {
    enabled: true,
    capture({ distinctId, event, properties }) {
      if (closing) return;
      try {
        client.capture({ distinctId, event, properties });
      } catch (error) {
        // A malformed event must cost the user nothing; the operator still hears about it.
        logger.error({ err: error }, 'analytics: capture failed');
      }
    },
    shutdown() {
      closing ??= (async () => {
        // A little under the limit, so a timer that fires late still ends within it.
        const limitMs = Math.max(0, shutdownTimeoutMs - 100);
        const deadline = Date.now() + limitMs;
        const failuresBefore = failures;
        let gaveUp = false;
        // The queue goes out through flush() (it never rejects, see createClient). posthog-node's own
        // shutdown() follows only if that worked: it would print a send still in flight, and after a
        // failure it would only try again past the time limit.
        const drain = async () => {
          await client.flush();
          if (!gaveUp && failures === failuresBefore) await client.shutdown(Math.max(0, deadline - Date.now()));
        };
        const finished = await Promise.race([
          drain().then(
            () => true,
            (error: unknown) => {
              logger.error({ err: error }, 'analytics: shutdown failed');
              return true;
            },
          ),
          new Promise<false>((resolve) => setTimeout(() => resolve(false), limitMs).unref()),
        ]);
        if (!finished) {
          gaveUp = true;
          warn(`analytics: PostHog took more than ${limitMs} ms at shutdown, events still unsent are lost`);
        }
      })();
      return closing;
    },
  };
}
