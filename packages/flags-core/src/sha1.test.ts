import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha1Prefix60 } from './sha1.js';
import { prng } from './testing.js';

/** What PostHog computes: node:crypto's SHA-1 of the UTF-8 bytes, first 15 hex digits, parsed. */
const reference = (input: string): number => parseInt(createHash('sha1').update(input, 'utf8').digest('hex').slice(0, 15), 16);

/** A string of exactly `byteLength` UTF-8 bytes: `unit` repeated, topped up with ASCII. */
function ofBytes(byteLength: number, unit = 'a'): string {
  const unitBytes = Buffer.byteLength(unit);
  const s = unit.repeat(Math.floor(byteLength / unitBytes)) + 'x'.repeat(byteLength % unitBytes);
  expect(Buffer.byteLength(s)).toBe(byteLength);
  return s;
}

// SHA-1 pads to 64-byte blocks and needs 9 bytes after the message: these lengths sit on each side
// of "fits in one block", "needs two", and of the next block.
const BOUNDARY_LENGTHS = [0, 1, 54, 55, 56, 57, 63, 64, 65, 118, 119, 120, 121, 127, 128, 129, 255, 256, 257];

describe('sha1Prefix60', () => {
  it('matches the published SHA-1 test vectors', () => {
    // FIPS 180 examples: sha1("abc") = a9993e36 4706816a…, sha1("") = da39a3ee 5e6b4b0d…
    expect(sha1Prefix60('abc')).toBe(parseInt('a9993e364706816', 16));
    expect(sha1Prefix60('')).toBe(parseInt('da39a3ee5e6b4b0', 16));
    expect(sha1Prefix60('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(parseInt('84983e441c3bd26', 16));
  });

  it.each(BOUNDARY_LENGTHS)('matches node:crypto for ASCII input of %s bytes', (length) => {
    const input = ofBytes(length);
    expect(sha1Prefix60(input)).toBe(reference(input));
  });

  it.each([
    ['2-byte', 'é'],
    ['3-byte', '€'],
    ['4-byte emoji', '😀'],
  ])('matches node:crypto for %s characters filling the block boundaries', (_label, unit) => {
    for (const length of BOUNDARY_LENGTHS) {
      const input = ofBytes(length, unit);
      expect(sha1Prefix60(input), `${length} bytes`).toBe(reference(input));
    }
  });

  it.each([
    ['single emoji', '🚀'],
    ['ZWJ sequence', '👩‍💻'],
    ['flag', '🇳🇱'],
    ['CJK', 'ユーザー-42'],
    ['combining mark', 'e\u0301'],
    ['NUL and controls', '\u0000\u0001\n\t'],
    ['BOM and max BMP', '\ufeff\uffff'],
    ['highest code point', '\u{10ffff}'],
    ['lone high surrogate', '\ud800'],
    ['lone low surrogate', '\udc00'],
    ['high surrogate at the end', 'user-\ud83d'],
    ['high surrogate before ASCII', '\ud83dx'],
    ['two high surrogates then a low', '\ud83d\ud83d\ude00'],
    ['reversed pair', '\ude00\ud83d'],
  ])('matches node:crypto for %s', (_label, input) => {
    expect(sha1Prefix60(input)).toBe(reference(input));
  });

  it('matches node:crypto across long inputs and back to short ones', () => {
    // The encoder reuses and grows one buffer: a long input must not leave bytes behind for the next.
    for (const input of ['a', 'é'.repeat(5000), 'b', '😀'.repeat(70_000), '', 'x'.repeat(1_000_000), 'abc']) {
      expect(sha1Prefix60(input), `${input.length} chars`).toBe(reference(input));
    }
  });

  it('matches node:crypto for 3,000 random strings of random UTF-16 code units', () => {
    const random = prng(0x5eed);
    // Weighted towards the ranges with distinct encodings: ASCII, 2-byte, 3-byte, surrogates.
    const ranges: readonly [number, number][] = [[0x00, 0x80], [0x80, 0x800], [0x800, 0xd800], [0xd800, 0xe000], [0xe000, 0x10000]];
    const failures: string[] = [];
    for (let n = 0; n < 3000; n++) {
      const length = Math.floor(random() * 150);
      let input = '';
      for (let i = 0; i < length; i++) {
        const [lo, hi] = ranges[Math.floor(random() * ranges.length)]!;
        input += String.fromCharCode(lo + Math.floor(random() * (hi - lo)));
      }
      if (sha1Prefix60(input) !== reference(input)) failures.push(JSON.stringify(input));
    }
    expect(failures).toEqual([]);
  });
});
