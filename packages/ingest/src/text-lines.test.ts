import { describe, expect, it } from 'vitest';
import { jsonArrayElements } from './json-elements.js';
import { textLines } from './text-lines.js';

/** The parts as a stream would deliver them: one per turn of the event loop. */
async function* chunks<T>(parts: readonly T[]): AsyncGenerator<T> {
  for (const part of parts) {
    await new Promise((resolve) => setImmediate(resolve));
    yield part;
  }
}

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

/** Every way of cutting `text` in two, so each boundary case (inside a CRLF, a character, a string) is met. */
function cuts(text: string): string[][] {
  return Array.from({ length: text.length + 1 }, (_, i) => [text.slice(0, i), text.slice(i)]);
}

describe('textLines', () => {
  it('numbers lines the way an editor does, whatever the chunk boundaries', async () => {
    const text = '\ufeffa\r\nbé\n\nc\rd\r\nlast';
    for (const parts of cuts(text)) {
      expect(await collect(textLines(chunks(parts)))).toEqual([
        { line: 1, text: 'a' },
        { line: 2, text: 'bé' },
        { line: 3, text: '' },
        { line: 4, text: 'c\rd' },
        { line: 5, text: 'last' },
      ]);
    }
  });

  it('keeps a character whose bytes are split between two chunks', async () => {
    const bytes = Buffer.from('1€\n2\n', 'utf8');
    for (let i = 0; i <= bytes.length; i++) {
      expect((await collect(textLines(chunks([bytes.subarray(0, i), bytes.subarray(i)])))).map((l) => l.text)).toEqual(['1€', '2']);
    }
  });
});

describe('jsonArrayElements', () => {
  it('yields each element with its starting line, whatever the chunk boundaries', async () => {
    const text = '[\n  "a,]",\n  {"address": "b", "n": [1, {"x": "]"}]},\n  "c\\"d"\n]';
    for (const parts of cuts(text)) {
      const elements = await collect(jsonArrayElements(chunks(parts), 'x.json'));
      expect(elements.map((e) => [e.line, e.value])).toEqual([
        [2, 'a,]'],
        [3, { address: 'b', n: [1, { x: ']' }] }],
        [4, 'c"d'],
      ]);
    }
  });

  it('reports a broken element and goes on', async () => {
    const elements = await collect(jsonArrayElements(chunks(['["a", nope, "b"]']), 'x.json'));
    expect(elements.map((e) => (e.error === null ? e.value : 'error'))).toEqual(['a', 'error', 'b']);
  });
});
