export interface BackoffOptions {
  /** The ceiling of the first wait (attempt 0). */
  initialMs: number;
  /** The ceiling never grows past this. */
  maxMs: number;
  /** The share of the ceiling drawn at random: 0 waits exactly the ceiling, 1 anywhere in (0, ceiling]. Default 0.5. */
  jitter?: number;
  /** Tests pass a fixed one. */
  random?: () => number;
}

/**
 * How long to wait before retry number `attempt` (0-based): a ceiling that doubles per attempt up to
 * `maxMs`, minus a random share of it, so processes restarted together do not retry in step.
 */
export function backoffDelay(attempt: number, { initialMs, maxMs, jitter = 0.5, random = Math.random }: BackoffOptions): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt));
  return ceiling * (1 - jitter * random());
}
