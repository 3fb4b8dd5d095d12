import { describe, expect, it } from 'vitest';
import { Lru, LruEntry } from './lru.js';

class Entry extends LruEntry {
  constructor(
    user: string,
    workspace: string,
    readonly label = `${user}@${workspace}`,
  ) {
    super(user, workspace);
  }
}

function filled(max: number, keys: Array<[string, string]>): Lru<Entry> {
  const lru = new Lru<Entry>(max);
  for (const [user, workspace] of keys) lru.set(new Entry(user, workspace));
  return lru;
}

const label = (entry: Entry | undefined) => entry?.label;

describe('Lru', () => {
  it('evicts the least recently used entry past max', () => {
    const lru = filled(2, [
      ['u1', 'w1'],
      ['u2', 'w1'],
      ['u3', 'w1'],
    ]);
    expect(lru.size).toBe(2);
    expect(lru.get('u1', 'w1')).toBeUndefined();
    expect(lru.keys()).toEqual([
      ['u2', 'w1'],
      ['u3', 'w1'],
    ]);
  });

  it('counts get and set as a use, but not peek or forEach', () => {
    const lru = filled(3, [
      ['u1', 'w1'],
      ['u2', 'w1'],
      ['u3', 'w1'],
    ]);
    expect(label(lru.get('u1', 'w1'))).toBe('u1@w1');
    expect(label(lru.peek('u2', 'w1'))).toBe('u2@w1');
    lru.forEach(() => undefined);
    lru.set(new Entry('u3', 'w1', 'replaced'));
    // A hit moves nothing (it marks the entry); a set goes to the back.
    expect(lru.keys().map(([user]) => user)).toEqual(['u1', 'u2', 'u3']);
    expect(lru.size).toBe(3);
    // u1 was used: passed over to the back; u2 was only peeked at: it goes.
    lru.set(new Entry('u4', 'w1'));
    expect(lru.peek('u2', 'w1')).toBeUndefined();
    expect(lru.keys().map(([user]) => user)).toEqual(['u3', 'u1', 'u4']);
    expect(label(lru.peek('u3', 'w1'))).toBe('replaced');
  });

  it('keeps one user in several workspaces apart, and visits them together', () => {
    const lru = filled(10, [
      ['u1', 'w1'],
      ['u1', 'w2'],
      ['u1', 'w3'],
      ['u2', 'w1'],
    ]);
    const seen: string[] = [];
    lru.forEach((entry) => seen.push(entry.label), 'u1');
    expect(seen.sort()).toEqual(['u1@w1', 'u1@w2', 'u1@w3']);

    // Out of the middle, the start and the end of u1's chain.
    expect(lru.delete('u1', 'w2')).toBe(true);
    expect(lru.delete('u1', 'w2')).toBe(false);
    expect(lru.delete('u1', 'w3')).toBe(true);
    expect([label(lru.peek('u1', 'w1')), lru.size]).toEqual(['u1@w1', 2]);
    expect(lru.delete('u1', 'w1')).toBe(true);
    expect(lru.peek('u1', 'w1')).toBeUndefined();
    lru.forEach(() => seen.push('unexpected'), 'u1');
    expect(seen).toHaveLength(3);
  });

  it('evicts one workspace of a user without losing the others', () => {
    const lru = filled(2, [
      ['u1', 'w1'],
      ['u1', 'w2'],
      ['u2', 'w1'],
    ]);
    expect([lru.peek('u1', 'w1'), label(lru.peek('u1', 'w2')), label(lru.peek('u2', 'w1'))]).toEqual([undefined, 'u1@w2', 'u2@w1']);
  });

  it('stays consistent when the only, first or last entry goes', () => {
    const lru = filled(3, [
      ['a', 'w'],
      ['b', 'w'],
      ['c', 'w'],
    ]);
    lru.delete('a', 'w');
    lru.delete('c', 'w');
    expect(lru.keys()).toEqual([['b', 'w']]);
    lru.delete('b', 'w');
    expect([lru.keys(), lru.size]).toEqual([[], 0]);
    lru.set(new Entry('d', 'w'));
    lru.set(new Entry('e', 'w'));
    expect(lru.keys().map(([user]) => user)).toEqual(['d', 'e']);
    lru.clear();
    expect([lru.size, lru.get('d', 'w')]).toEqual([0, undefined]);
  });

  it('gives each used entry one second chance: when all were used, the oldest goes after one pass', () => {
    const lru = filled(3, [
      ['u1', 'w1'],
      ['u2', 'w1'],
      ['u3', 'w1'],
    ]);
    for (const user of ['u3', 'u1', 'u2']) lru.get(user, 'w1');
    lru.set(new Entry('u4', 'w1'));
    expect(lru.keys().map(([user]) => user)).toEqual(['u2', 'u3', 'u4']);
    // The survivors' marks were spent: the next arrival takes the oldest of them.
    lru.set(new Entry('u5', 'w1'));
    expect(lru.keys().map(([user]) => user)).toEqual(['u3', 'u4', 'u5']);
    lru.get('u3', 'w1');
    lru.set(new Entry('u6', 'w1'));
    expect(lru.keys().map(([user]) => user)).toEqual(['u5', 'u3', 'u6']);
  });

  it('holds nothing with max 0', () => {
    const lru = filled(0, [['u1', 'w1']]);
    expect([lru.size, lru.get('u1', 'w1')]).toEqual([0, undefined]);
  });
});
