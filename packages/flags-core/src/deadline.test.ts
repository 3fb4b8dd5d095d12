import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SourceTimeoutError, withDeadline } from './deadline.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const never = () => new Promise<never>(() => undefined);

describe('withDeadline', () => {
  it('answers with the call when it settles in time', async () => {
    await expect(withDeadline('load', 100, async () => 'flags')).resolves.toBe('flags');
    await expect(withDeadline('load', 100, () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    await expect(
      withDeadline('load', 100, () => {
        throw new Error('sync throw');
      }),
    ).rejects.toThrow('sync throw');
  });

  it('rejects with SourceTimeoutError at the deadline and aborts the signal, even when the call ignores it', async () => {
    let seen: AbortSignal | undefined;
    const pending = withDeadline('GET /snapshot', 500, (signal) => {
      seen = signal;
      return never();
    });
    const outcome = pending.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(499);
    expect(seen?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await outcome;
    expect(error).toBeInstanceOf(SourceTimeoutError);
    expect(error).toMatchObject({ message: 'GET /snapshot: no answer within 500 ms', timeoutMs: 500 });
    expect(seen?.reason).toBe(error);
  });

  it('follows a parent signal, also one aborted before the call', async () => {
    const parent = new AbortController();
    const pending = withDeadline('load', 10_000, never, parent.signal);
    parent.abort(new Error('client closed'));
    await expect(pending).rejects.toThrow('client closed');
    await expect(withDeadline('load', 10_000, never, parent.signal)).rejects.toThrow('client closed');
  });

  it('never times out with an infinite deadline', async () => {
    let resolve!: (value: string) => void;
    const pending = withDeadline('load', Infinity, () => new Promise<string>((r) => (resolve = r)));
    await vi.advanceTimersByTimeAsync(1e9);
    resolve('late');
    await expect(pending).resolves.toBe('late');
  });
});
