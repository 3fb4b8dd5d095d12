import { describe, expect, it } from 'vitest';
import { DomainError, ERRORS, ERROR_CODES, INTERNAL_MESSAGE } from './contract/errors.js';
import { publicError, rejectUnsafeText } from './errors.js';

describe('rejectUnsafeText', () => {
  it.each([
    ['a NUL byte', { reason: 'a\u0000b' }, 'reason'],
    ['a lone high surrogate', { userId: '\uD800x' }, 'userId'],
    ['a lone low surrogate deep inside', { a: [{ b: 'x\uDC00' }] }, 'a.0.b'],
    ['a NUL in a key', { 'k\u0000': 1 }, 'k\u0000'],
  ])('refuses %s with VALIDATION_FAILED naming the field', (_, input, field) => {
    const error = (() => {
      try {
        rejectUnsafeText(input);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', fieldErrors: { [field]: [expect.any(String)] } });
  });

  it('accepts real Unicode (a surrogate pair, accents, CJK) and non-string values', () => {
    expect(() => rejectUnsafeText({ reason: 'déjà vu 🧪 中文', n: 5, on: true, none: null, at: new Date() })).not.toThrow();
  });

  it('refuses nesting deeper than any input takes, without recursion', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = { d: deep };
    expect(() => rejectUnsafeText(deep)).toThrow(DomainError);
  });
});

describe('publicError', () => {
  it('passes a domain error through with its code, status and message', () => {
    expect(publicError(new DomainError('CONFLICT', 'Flag "x" is at version 3, not 2'))).toMatchObject({ code: 'CONFLICT', status: 409, message: 'Flag "x" is at version 3, not 2', errorId: undefined });
  });

  it('turns anything else into "Something went wrong" with an id, and logs the details under that id only', () => {
    const logged: Array<[string, unknown]> = [];
    const leak = new Error('connect ECONNREFUSED db.internal:5432 at /srv/app/node_modules/pg/lib/client.js:132');
    const visible = publicError(leak, (id, error) => logged.push([id, error]));
    expect(visible).toMatchObject({ code: 'INTERNAL', status: 500, fieldErrors: null });
    expect(visible.message).toBe(`${INTERNAL_MESSAGE} (error id ${visible.errorId})`);
    expect(visible.message).not.toMatch(/ECONNREFUSED|5432|\/srv|node_modules/);
    expect(logged).toEqual([[visible.errorId, leak]]);
  });

  it('maps every code to a 4xx or 5xx status; 5xx only for a bug (INTERNAL) and for "retry later" codes', () => {
    const retryLater: readonly string[] = ['BUSY', 'DEGRADED'];
    for (const code of ERROR_CODES) {
      const { status } = ERRORS[code];
      expect(status >= 400 && status < 600, code).toBe(true);
      expect(status >= 500, code).toBe(code === 'INTERNAL' || retryLater.includes(code));
    }
  });
});
