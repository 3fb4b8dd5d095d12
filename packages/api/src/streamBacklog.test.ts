import { describe, expect, it } from 'vitest';
import { createStreamBacklog } from './streamBacklog.js';

async function take<T>(source: AsyncGenerator<T>, count: number): Promise<T[]> {
  const out: T[] = [];
  while (out.length < count) {
    const next = await source.next();
    if (next.done) break;
    out.push(next.value);
  }
  return out;
}

describe('createStreamBacklog', () => {
  it('hands over what was pushed, in order, and waits for more', async () => {
    const backlog = createStreamBacklog<string>(10, () => 'reset');
    const abort = new AbortController();
    const reader = backlog.drain(abort.signal);
    backlog.push('a');
    backlog.push('b');
    expect(await take(reader, 2)).toEqual(['a', 'b']);
    const later = take(reader, 1);
    backlog.push('c');
    expect(await later).toEqual(['c']);
    abort.abort();
  });

  it('a reader that falls behind gets one overflow entry instead of an ever-growing backlog', async () => {
    const backlog = createStreamBacklog<{ n: number; reset?: true }>(3, (entry) => ({ n: entry.n, reset: true }));
    for (let n = 1; n <= 4; n++) backlog.push({ n });
    backlog.push({ n: 5 });
    const abort = new AbortController();
    expect(await take(backlog.drain(abort.signal), 2)).toEqual([{ n: 4, reset: true }, { n: 5 }]);
    abort.abort();
  });

  it('ends when the signal aborts, even while waiting', async () => {
    const backlog = createStreamBacklog<string>(10, () => 'reset');
    const abort = new AbortController();
    const reader = backlog.drain(abort.signal);
    const pending = reader.next();
    abort.abort();
    expect(await pending).toEqual({ done: true, value: undefined });
  });
});
