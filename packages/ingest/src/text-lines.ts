import { StringDecoder } from 'node:string_decoder';

/**
 * Lines of a text stream with their 1-based numbers, as an editor counts them: a line ends
 * at `\n`, a `\r` before it is dropped (server exports mix Windows and Unix line ends), a
 * leading byte-order mark is dropped. Streams: memory holds one chunk and one line.
 */
export async function* textLines(chunks: AsyncIterable<string | Buffer>): AsyncGenerator<{ line: number; text: string }> {
  let carry = '';
  let line = 0;
  let first = true;
  // The bytes of one character can straddle two chunks.
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) {
    let text = carry + (typeof chunk === 'string' ? chunk : decoder.write(chunk));
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    let start = 0;
    for (let end = text.indexOf('\n', start); end !== -1; end = text.indexOf('\n', start)) {
      line++;
      yield { line, text: stripCr(text.slice(start, end)) };
      start = end + 1;
    }
    carry = text.slice(start);
  }
  carry += decoder.end();
  if (carry.length > 0) yield { line: line + 1, text: stripCr(carry) };
}

function stripCr(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}
