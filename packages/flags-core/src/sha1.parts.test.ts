import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha1Prefix60 } from './sha1.js';
import { prng } from './testing.js';

const reference = (input: string): number => parseInt(createHash('sha1').update(input, 'utf8').digest('hex').slice(0, 15), 16);

// sha1Prefix60(a, b, c, d) hashes a + b + c + d without joining them (rolloutHash passes key, '.', id, salt).
describe('sha1Prefix60 over several parts', () => {
  it.each([
    ['key, dot, id', ['checkout-redesign', '.', 'user-1']],
    ['empty parts', ['', 'abc', '', '']],
    ['a part ending mid-word', ['abcde', 'f', 'ghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwx']],
    ['block boundary inside a part', ['x'.repeat(50), '.', 'y'.repeat(30)]],
    ['multi-byte characters', ['flag-é', '.', 'ユーザー-42', '🚀']],
    ['a surrogate pair split across parts', ['id-\ud83d', '\ude80-tail']],
    ['a split pair with an empty part between', ['id-\ud83d', '', '\ude80']],
    ['a lone high surrogate at the end', ['id', '.', 'x\ud83d']],
    ['a lone low surrogate at the start of a part', ['id.', '\ude80x']],
  ])('matches node:crypto on the joined string: %s', (_label, parts) => {
    const [a = '', b, c, d] = parts;
    expect(sha1Prefix60(a, b, c, d)).toBe(reference(parts.join('')));
  });

  it('matches node:crypto on 5,000 generated splits, including non-ASCII and lone surrogates', () => {
    const random = prng(7);
    const unit = () => {
      const r = random();
      if (r < 0.6) return Math.floor(random() * 128);
      if (r < 0.75) return 0xd800 + Math.floor(random() * 0x800);
      return Math.floor(random() * 0x10000);
    };
    const text = (max: number) => String.fromCharCode(...Array.from({ length: Math.floor(random() * max) }, unit));
    const failures: string[] = [];
    for (let i = 0; i < 5_000; i++) {
      const parts = [text(80), text(4), text(80), text(3)] as const;
      if (sha1Prefix60(...parts) !== reference(parts.join(''))) failures.push(JSON.stringify(parts));
    }
    expect(failures).toEqual([]);
  });
});
