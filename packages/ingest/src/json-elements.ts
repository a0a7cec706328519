import { SeedListError } from './ingest-errors.js';

/** One element of the streamed array, parsed, with the line it starts on. */
export interface JsonElement {
  readonly line: number;
  /** The parsed value, or the parse error's message when the element is not valid JSON. */
  readonly value: unknown;
  readonly error: string | null;
  readonly text: string;
}

/** An element longer than this is not a seed; it is reported, not held in memory. */
const MAX_ELEMENT_CHARS = 64 * 1024;

/**
 * The elements of a JSON array, streamed: the top-level array (`["1A1z...", ...]`) or the
 * first array directly inside a top-level object (`{"addresses": [...]}`). Only one
 * element is in memory at a time, so a million-entry export streams like a text file, and
 * each element keeps the line it starts on for reject reports. A malformed element is
 * yielded with its error and the scan goes on; a file that is not an array at all throws.
 */
export async function* jsonArrayElements(chunks: AsyncIterable<string>, file: string): AsyncGenerator<JsonElement> {
  let depth = 0;
  let topIsObject = false;
  let target = -1;
  let inString = false;
  let escaped = false;
  let line = 1;
  let element = '';
  let elementLine = 0;
  let oversized = false;
  let done = false;
  let sawValue = false;

  const flush = (): JsonElement | null => {
    const text = element.trim();
    element = '';
    if (text.length === 0 && !oversized) return null;
    if (oversized) {
      oversized = false;
      return { line: elementLine, value: undefined, error: `element longer than ${MAX_ELEMENT_CHARS} characters`, text: text.slice(0, 200) };
    }
    try {
      return { line: elementLine, value: JSON.parse(text) as unknown, error: null, text };
    } catch (error) {
      return { line: elementLine, value: undefined, error: error instanceof Error ? error.message : String(error), text };
    }
  };

  for await (const chunk of chunks) {
    for (let i = 0; i < chunk.length && !done; i++) {
      const c = chunk[i] as string;
      if (c === '\n') line++;
      const capturing = target !== -1 && depth >= target;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') inString = false;
      } else if (c === '"') {
        inString = true;
      } else if (c === '{' || c === '[') {
        if (depth === 0) {
          sawValue = true;
          topIsObject = c === '{';
        }
        if (c === '[' && target === -1 && (depth === 0 || (depth === 1 && topIsObject))) {
          target = depth + 1;
          depth++;
          continue;
        }
        depth++;
      } else if (c === '}' || c === ']') {
        depth--;
        if (target !== -1 && depth === target - 1) {
          const last = flush();
          if (last) yield last;
          done = true;
          break;
        }
      } else if (c === ',' && target !== -1 && depth === target) {
        const item = flush();
        if (item) yield item;
        continue;
      }
      if (capturing) {
        if (element.length === 0 && /\s/.test(c)) continue;
        if (element.length === 0) elementLine = line;
        if (element.length < MAX_ELEMENT_CHARS) element += c;
        else oversized = true;
      } else if (depth === 0 && !/\s/.test(c) && !sawValue) {
        throw new SeedListError(file, `line ${line}: expected a JSON array of addresses (or an object holding one), found "${c}"`);
      }
    }
    if (done) break;
  }
  if (target === -1) throw new SeedListError(file, 'no JSON array of addresses found; expected ["address", ...] or {"addresses": [...]}');
  if (!done) throw new SeedListError(file, `the JSON array that starts the list is not closed (file ends at line ${line}); the file may be cut off`);
}
