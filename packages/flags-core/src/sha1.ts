/**
 * SHA-1 of a string's UTF-8 bytes, returning only what rollout bucketing needs: the first 60 bits
 * (15 hex digits) as a number, the same value as `parseInt(hex.slice(0, 15), 16)`.
 * Plain JS because a native `createHash` call costs more than the whole evaluation around it;
 * `sha1.test.ts` pins it against node:crypto. Written for speed: the UTF-8 bytes go straight into
 * big-endian words (no byte buffer), and the 80 rounds are unrolled over 16 local schedule words,
 * which roughly halves the time of a loop over an 80-word array.
 */
let words = new Int32Array(64);

/**
 * Appends the UTF-8 bytes of `input` to `words` (big-endian) after the first `n` bytes; returns the new
 * byte count. A word left partly filled is stored left-aligned, and picked up again by the next part.
 */
function pack(input: string, n: number): number {
  const length = input.length;
  // At most 3 bytes per UTF-16 unit (a surrogate pair is 2 units, 4 bytes), plus padding.
  const capacity = ((((n + length * 3 + 8) >> 6) + 1) << 4) + 16;
  if (capacity > words.length) {
    const grown = new Int32Array(capacity * 2);
    grown.set(words);
    words = grown;
  }
  const out = words;
  let acc = n & 3 ? out[n >> 2]! >>> ((4 - (n & 3)) * 8) : 0;
  for (let i = 0; i < length; i++) {
    let c = input.charCodeAt(i);
    // Four ASCII characters at a word boundary go in as one word: ids and keys are ASCII, and this halves the packing.
    if ((n & 3) === 0 && i + 3 < length) {
      const c1 = input.charCodeAt(i + 1);
      const c2 = input.charCodeAt(i + 2);
      const c3 = input.charCodeAt(i + 3);
      if ((c | c1 | c2 | c3) < 0x80) {
        acc = (c << 24) | (c1 << 16) | (c2 << 8) | c3;
        n += 4;
        out[(n >> 2) - 1] = acc;
        i += 3;
        continue;
      }
    }
    if (c < 0x80) {
      acc = (acc << 8) | c;
      if ((++n & 3) === 0) out[(n >> 2) - 1] = acc;
      continue;
    }
    // `seq` holds the character's `count` UTF-8 bytes, first byte highest.
    let count: number;
    let seq: number;
    if (c < 0x800) {
      count = 2;
      seq = ((0xc0 | (c >> 6)) << 8) | (0x80 | (c & 63));
    } else {
      const d = c >= 0xd800 && c < 0xdc00 && i + 1 < length ? input.charCodeAt(i + 1) : 0;
      if (d >= 0xdc00 && d < 0xe000) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
        count = 4;
        seq = ((0xf0 | (c >> 18)) << 24) | ((0x80 | ((c >> 12) & 63)) << 16) | ((0x80 | ((c >> 6) & 63)) << 8) | (0x80 | (c & 63));
      } else {
        if (c >= 0xd800 && c < 0xe000) c = 0xfffd; // lone surrogate, as TextEncoder does
        count = 3;
        seq = ((0xe0 | (c >> 12)) << 16) | ((0x80 | ((c >> 6) & 63)) << 8) | (0x80 | (c & 63));
      }
    }
    for (let shift = (count - 1) * 8; shift >= 0; shift -= 8) {
      acc = (acc << 8) | ((seq >>> shift) & 255);
      if ((++n & 3) === 0) out[(n >> 2) - 1] = acc;
    }
  }
  if (n & 3) out[n >> 2] = acc << ((4 - (n & 3)) * 8);
  return n;
}

/** A part ending in a high surrogate may pair with the next part's first unit. */
const endsHigh = (part: string) => {
  const c = part.charCodeAt(part.length - 1);
  return c >= 0xd800 && c < 0xdc00;
};

const rotl1 = (x: number) => (x << 1) | (x >>> 31);
const rotl5 = (x: number) => (x << 5) | (x >>> 27);
const rotl30 = (x: number) => (x << 30) | (x >>> 2);
const ch = (b: number, c: number, d: number) => (b & c) | (~b & d);
const parity = (b: number, c: number, d: number) => b ^ c ^ d;
const maj = (b: number, c: number, d: number) => (b & c) | (b & d) | (c & d);

/**
 * The hash of `a + b + c + d`, without building that string: rollout bucketing hashes a flag key, a
 * dot and an id, and joining them would cost V8 a flattening copy on every evaluation.
 */
export function sha1Prefix60(a: string, b = '', c = '', d = ''): number {
  if ((endsHigh(a) && (b || c || d)) || (endsHigh(b) && (c || d)) || (endsHigh(c) && d)) return sha1Prefix60(a + b + c + d);
  const length = pack(d, pack(c, pack(b, pack(a, 0))));
  const total = (((length + 8) >> 6) + 1) << 4;
  const m = words;
  // The 0x80 terminator, then zeros up to the 64-bit length in bits (inputs here are far below
  // 2^32 bits, so its high word is 0).
  const last = length >> 2;
  m[last] = (length & 3 ? m[last]! : 0) | (0x80 << ((3 - (length & 3)) * 8));
  m.fill(0, last + 1, total - 1);
  m[total - 1] = length * 8;

  let h0 = 0x67452301;
  let h1 = 0xefcdab89 | 0;
  let h2 = 0x98badcfe | 0;
  let h3 = 0x10325476;
  let h4 = 0xc3d2e1f0 | 0;
  for (let base = 0; base < total; base += 16) {
    let w0 = m[base]!, w1 = m[base + 1]!, w2 = m[base + 2]!, w3 = m[base + 3]!;
    let w4 = m[base + 4]!, w5 = m[base + 5]!, w6 = m[base + 6]!, w7 = m[base + 7]!;
    let w8 = m[base + 8]!, w9 = m[base + 9]!, w10 = m[base + 10]!, w11 = m[base + 11]!;
    let w12 = m[base + 12]!, w13 = m[base + 13]!, w14 = m[base + 14]!, w15 = m[base + 15]!;
    let a = h0;
    let b = h1;
    let c = h2;
    let d = h3;
    let e = h4;
    // Round t computes the new `a` into the variable that held `e`, so the five names rotate instead of being shuffled.
    e = (rotl5(a) + ch(b, c, d) + e + 0x5a827999 + w0) | 0; b = rotl30(b);
    d = (rotl5(e) + ch(a, b, c) + d + 0x5a827999 + w1) | 0; a = rotl30(a);
    c = (rotl5(d) + ch(e, a, b) + c + 0x5a827999 + w2) | 0; e = rotl30(e);
    b = (rotl5(c) + ch(d, e, a) + b + 0x5a827999 + w3) | 0; d = rotl30(d);
    a = (rotl5(b) + ch(c, d, e) + a + 0x5a827999 + w4) | 0; c = rotl30(c);
    e = (rotl5(a) + ch(b, c, d) + e + 0x5a827999 + w5) | 0; b = rotl30(b);
    d = (rotl5(e) + ch(a, b, c) + d + 0x5a827999 + w6) | 0; a = rotl30(a);
    c = (rotl5(d) + ch(e, a, b) + c + 0x5a827999 + w7) | 0; e = rotl30(e);
    b = (rotl5(c) + ch(d, e, a) + b + 0x5a827999 + w8) | 0; d = rotl30(d);
    a = (rotl5(b) + ch(c, d, e) + a + 0x5a827999 + w9) | 0; c = rotl30(c);
    e = (rotl5(a) + ch(b, c, d) + e + 0x5a827999 + w10) | 0; b = rotl30(b);
    d = (rotl5(e) + ch(a, b, c) + d + 0x5a827999 + w11) | 0; a = rotl30(a);
    c = (rotl5(d) + ch(e, a, b) + c + 0x5a827999 + w12) | 0; e = rotl30(e);
    b = (rotl5(c) + ch(d, e, a) + b + 0x5a827999 + w13) | 0; d = rotl30(d);
    a = (rotl5(b) + ch(c, d, e) + a + 0x5a827999 + w14) | 0; c = rotl30(c);
    e = (rotl5(a) + ch(b, c, d) + e + 0x5a827999 + w15) | 0; b = rotl30(b);
    w0 = rotl1(w13 ^ w8 ^ w2 ^ w0); d = (rotl5(e) + ch(a, b, c) + d + 0x5a827999 + w0) | 0; a = rotl30(a);
    w1 = rotl1(w14 ^ w9 ^ w3 ^ w1); c = (rotl5(d) + ch(e, a, b) + c + 0x5a827999 + w1) | 0; e = rotl30(e);
    w2 = rotl1(w15 ^ w10 ^ w4 ^ w2); b = (rotl5(c) + ch(d, e, a) + b + 0x5a827999 + w2) | 0; d = rotl30(d);
    w3 = rotl1(w0 ^ w11 ^ w5 ^ w3); a = (rotl5(b) + ch(c, d, e) + a + 0x5a827999 + w3) | 0; c = rotl30(c);
    w4 = rotl1(w1 ^ w12 ^ w6 ^ w4); e = (rotl5(a) + parity(b, c, d) + e + 0x6ed9eba1 + w4) | 0; b = rotl30(b);
    w5 = rotl1(w2 ^ w13 ^ w7 ^ w5); d = (rotl5(e) + parity(a, b, c) + d + 0x6ed9eba1 + w5) | 0; a = rotl30(a);
    w6 = rotl1(w3 ^ w14 ^ w8 ^ w6); c = (rotl5(d) + parity(e, a, b) + c + 0x6ed9eba1 + w6) | 0; e = rotl30(e);
    w7 = rotl1(w4 ^ w15 ^ w9 ^ w7); b = (rotl5(c) + parity(d, e, a) + b + 0x6ed9eba1 + w7) | 0; d = rotl30(d);
    w8 = rotl1(w5 ^ w0 ^ w10 ^ w8); a = (rotl5(b) + parity(c, d, e) + a + 0x6ed9eba1 + w8) | 0; c = rotl30(c);
    w9 = rotl1(w6 ^ w1 ^ w11 ^ w9); e = (rotl5(a) + parity(b, c, d) + e + 0x6ed9eba1 + w9) | 0; b = rotl30(b);
    w10 = rotl1(w7 ^ w2 ^ w12 ^ w10); d = (rotl5(e) + parity(a, b, c) + d + 0x6ed9eba1 + w10) | 0; a = rotl30(a);
    w11 = rotl1(w8 ^ w3 ^ w13 ^ w11); c = (rotl5(d) + parity(e, a, b) + c + 0x6ed9eba1 + w11) | 0; e = rotl30(e);
    w12 = rotl1(w9 ^ w4 ^ w14 ^ w12); b = (rotl5(c) + parity(d, e, a) + b + 0x6ed9eba1 + w12) | 0; d = rotl30(d);
    w13 = rotl1(w10 ^ w5 ^ w15 ^ w13); a = (rotl5(b) + parity(c, d, e) + a + 0x6ed9eba1 + w13) | 0; c = rotl30(c);
    w14 = rotl1(w11 ^ w6 ^ w0 ^ w14); e = (rotl5(a) + parity(b, c, d) + e + 0x6ed9eba1 + w14) | 0; b = rotl30(b);
    w15 = rotl1(w12 ^ w7 ^ w1 ^ w15); d = (rotl5(e) + parity(a, b, c) + d + 0x6ed9eba1 + w15) | 0; a = rotl30(a);
    w0 = rotl1(w13 ^ w8 ^ w2 ^ w0); c = (rotl5(d) + parity(e, a, b) + c + 0x6ed9eba1 + w0) | 0; e = rotl30(e);
    w1 = rotl1(w14 ^ w9 ^ w3 ^ w1); b = (rotl5(c) + parity(d, e, a) + b + 0x6ed9eba1 + w1) | 0; d = rotl30(d);
    w2 = rotl1(w15 ^ w10 ^ w4 ^ w2); a = (rotl5(b) + parity(c, d, e) + a + 0x6ed9eba1 + w2) | 0; c = rotl30(c);
    w3 = rotl1(w0 ^ w11 ^ w5 ^ w3); e = (rotl5(a) + parity(b, c, d) + e + 0x6ed9eba1 + w3) | 0; b = rotl30(b);
    w4 = rotl1(w1 ^ w12 ^ w6 ^ w4); d = (rotl5(e) + parity(a, b, c) + d + 0x6ed9eba1 + w4) | 0; a = rotl30(a);
    w5 = rotl1(w2 ^ w13 ^ w7 ^ w5); c = (rotl5(d) + parity(e, a, b) + c + 0x6ed9eba1 + w5) | 0; e = rotl30(e);
    w6 = rotl1(w3 ^ w14 ^ w8 ^ w6); b = (rotl5(c) + parity(d, e, a) + b + 0x6ed9eba1 + w6) | 0; d = rotl30(d);
    w7 = rotl1(w4 ^ w15 ^ w9 ^ w7); a = (rotl5(b) + parity(c, d, e) + a + 0x6ed9eba1 + w7) | 0; c = rotl30(c);
    w8 = rotl1(w5 ^ w0 ^ w10 ^ w8); e = (rotl5(a) + maj(b, c, d) + e + -0x70e44324 + w8) | 0; b = rotl30(b);
    w9 = rotl1(w6 ^ w1 ^ w11 ^ w9); d = (rotl5(e) + maj(a, b, c) + d + -0x70e44324 + w9) | 0; a = rotl30(a);
    w10 = rotl1(w7 ^ w2 ^ w12 ^ w10); c = (rotl5(d) + maj(e, a, b) + c + -0x70e44324 + w10) | 0; e = rotl30(e);
    w11 = rotl1(w8 ^ w3 ^ w13 ^ w11); b = (rotl5(c) + maj(d, e, a) + b + -0x70e44324 + w11) | 0; d = rotl30(d);
    w12 = rotl1(w9 ^ w4 ^ w14 ^ w12); a = (rotl5(b) + maj(c, d, e) + a + -0x70e44324 + w12) | 0; c = rotl30(c);
    w13 = rotl1(w10 ^ w5 ^ w15 ^ w13); e = (rotl5(a) + maj(b, c, d) + e + -0x70e44324 + w13) | 0; b = rotl30(b);
    w14 = rotl1(w11 ^ w6 ^ w0 ^ w14); d = (rotl5(e) + maj(a, b, c) + d + -0x70e44324 + w14) | 0; a = rotl30(a);
    w15 = rotl1(w12 ^ w7 ^ w1 ^ w15); c = (rotl5(d) + maj(e, a, b) + c + -0x70e44324 + w15) | 0; e = rotl30(e);
    w0 = rotl1(w13 ^ w8 ^ w2 ^ w0); b = (rotl5(c) + maj(d, e, a) + b + -0x70e44324 + w0) | 0; d = rotl30(d);
    w1 = rotl1(w14 ^ w9 ^ w3 ^ w1); a = (rotl5(b) + maj(c, d, e) + a + -0x70e44324 + w1) | 0; c = rotl30(c);
    w2 = rotl1(w15 ^ w10 ^ w4 ^ w2); e = (rotl5(a) + maj(b, c, d) + e + -0x70e44324 + w2) | 0; b = rotl30(b);
    w3 = rotl1(w0 ^ w11 ^ w5 ^ w3); d = (rotl5(e) + maj(a, b, c) + d + -0x70e44324 + w3) | 0; a = rotl30(a);
    w4 = rotl1(w1 ^ w12 ^ w6 ^ w4); c = (rotl5(d) + maj(e, a, b) + c + -0x70e44324 + w4) | 0; e = rotl30(e);
    w5 = rotl1(w2 ^ w13 ^ w7 ^ w5); b = (rotl5(c) + maj(d, e, a) + b + -0x70e44324 + w5) | 0; d = rotl30(d);
    w6 = rotl1(w3 ^ w14 ^ w8 ^ w6); a = (rotl5(b) + maj(c, d, e) + a + -0x70e44324 + w6) | 0; c = rotl30(c);
    w7 = rotl1(w4 ^ w15 ^ w9 ^ w7); e = (rotl5(a) + maj(b, c, d) + e + -0x70e44324 + w7) | 0; b = rotl30(b);
    w8 = rotl1(w5 ^ w0 ^ w10 ^ w8); d = (rotl5(e) + maj(a, b, c) + d + -0x70e44324 + w8) | 0; a = rotl30(a);
    w9 = rotl1(w6 ^ w1 ^ w11 ^ w9); c = (rotl5(d) + maj(e, a, b) + c + -0x70e44324 + w9) | 0; e = rotl30(e);
    w10 = rotl1(w7 ^ w2 ^ w12 ^ w10); b = (rotl5(c) + maj(d, e, a) + b + -0x70e44324 + w10) | 0; d = rotl30(d);
    w11 = rotl1(w8 ^ w3 ^ w13 ^ w11); a = (rotl5(b) + maj(c, d, e) + a + -0x70e44324 + w11) | 0; c = rotl30(c);
    w12 = rotl1(w9 ^ w4 ^ w14 ^ w12); e = (rotl5(a) + parity(b, c, d) + e + -0x359d3e2a + w12) | 0; b = rotl30(b);
    w13 = rotl1(w10 ^ w5 ^ w15 ^ w13); d = (rotl5(e) + parity(a, b, c) + d + -0x359d3e2a + w13) | 0; a = rotl30(a);
    w14 = rotl1(w11 ^ w6 ^ w0 ^ w14); c = (rotl5(d) + parity(e, a, b) + c + -0x359d3e2a + w14) | 0; e = rotl30(e);
    w15 = rotl1(w12 ^ w7 ^ w1 ^ w15); b = (rotl5(c) + parity(d, e, a) + b + -0x359d3e2a + w15) | 0; d = rotl30(d);
    w0 = rotl1(w13 ^ w8 ^ w2 ^ w0); a = (rotl5(b) + parity(c, d, e) + a + -0x359d3e2a + w0) | 0; c = rotl30(c);
    w1 = rotl1(w14 ^ w9 ^ w3 ^ w1); e = (rotl5(a) + parity(b, c, d) + e + -0x359d3e2a + w1) | 0; b = rotl30(b);
    w2 = rotl1(w15 ^ w10 ^ w4 ^ w2); d = (rotl5(e) + parity(a, b, c) + d + -0x359d3e2a + w2) | 0; a = rotl30(a);
    w3 = rotl1(w0 ^ w11 ^ w5 ^ w3); c = (rotl5(d) + parity(e, a, b) + c + -0x359d3e2a + w3) | 0; e = rotl30(e);
    w4 = rotl1(w1 ^ w12 ^ w6 ^ w4); b = (rotl5(c) + parity(d, e, a) + b + -0x359d3e2a + w4) | 0; d = rotl30(d);
    w5 = rotl1(w2 ^ w13 ^ w7 ^ w5); a = (rotl5(b) + parity(c, d, e) + a + -0x359d3e2a + w5) | 0; c = rotl30(c);
    w6 = rotl1(w3 ^ w14 ^ w8 ^ w6); e = (rotl5(a) + parity(b, c, d) + e + -0x359d3e2a + w6) | 0; b = rotl30(b);
    w7 = rotl1(w4 ^ w15 ^ w9 ^ w7); d = (rotl5(e) + parity(a, b, c) + d + -0x359d3e2a + w7) | 0; a = rotl30(a);
    w8 = rotl1(w5 ^ w0 ^ w10 ^ w8); c = (rotl5(d) + parity(e, a, b) + c + -0x359d3e2a + w8) | 0; e = rotl30(e);
    w9 = rotl1(w6 ^ w1 ^ w11 ^ w9); b = (rotl5(c) + parity(d, e, a) + b + -0x359d3e2a + w9) | 0; d = rotl30(d);
    w10 = rotl1(w7 ^ w2 ^ w12 ^ w10); a = (rotl5(b) + parity(c, d, e) + a + -0x359d3e2a + w10) | 0; c = rotl30(c);
    w11 = rotl1(w8 ^ w3 ^ w13 ^ w11); e = (rotl5(a) + parity(b, c, d) + e + -0x359d3e2a + w11) | 0; b = rotl30(b);
    w12 = rotl1(w9 ^ w4 ^ w14 ^ w12); d = (rotl5(e) + parity(a, b, c) + d + -0x359d3e2a + w12) | 0; a = rotl30(a);
    w13 = rotl1(w10 ^ w5 ^ w15 ^ w13); c = (rotl5(d) + parity(e, a, b) + c + -0x359d3e2a + w13) | 0; e = rotl30(e);
    w14 = rotl1(w11 ^ w6 ^ w0 ^ w14); b = (rotl5(c) + parity(d, e, a) + b + -0x359d3e2a + w14) | 0; d = rotl30(d);
    w15 = rotl1(w12 ^ w7 ^ w1 ^ w15); a = (rotl5(b) + parity(c, d, e) + a + -0x359d3e2a + w15) | 0; c = rotl30(c);
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
  }
  return (h0 >>> 0) * 0x10000000 + (h1 >>> 4);
}
