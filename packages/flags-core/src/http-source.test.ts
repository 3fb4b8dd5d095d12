import { describe, expect, it } from 'vitest';
import { createSseParser } from './http-source.js';

function parseAll(chunks: string[]): string[] {
  const events: string[] = [];
  const feed = createSseParser((data) => events.push(data));
  for (const chunk of chunks) feed(chunk);
  return events;
}

describe('createSseParser', () => {
  it.each([
    { name: 'one event', chunks: ['data: {"kind":"flags"}\n\n'], events: ['{"kind":"flags"}'] },
    { name: 'without the optional space', chunks: ['data:{"kind":"flags"}\n\n'], events: ['{"kind":"flags"}'] },
    { name: 'split mid-line', chunks: ['da', 'ta: {"kind":', '"reset"}\n', '\n'], events: ['{"kind":"reset"}'] },
    { name: 'CRLF line ends', chunks: ['data: a\r\n\r\ndata: b\r\n\r\n'], events: ['a', 'b'] },
    { name: 'CRLF split between chunks', chunks: ['data: a\r', '\n\r', '\n'], events: ['a'] },
    { name: 'multi-line data joined by newline', chunks: ['data: a\ndata: b\n\n'], events: ['a\nb'] },
    { name: 'comments and other fields skipped', chunks: [': keep-alive\n\nevent: change\nid: 7\ndata: x\n\n'], events: ['x'] },
    { name: 'an event without its blank line is held back', chunks: ['data: x\n'], events: [] },
  ])('$name', ({ chunks, events }) => {
    expect(parseAll(chunks)).toEqual(events);
  });
});
