import { describe, expect, it } from 'vitest';
import type { AnnotationColour } from '../schemas/case-schemas.js';
import { decodeAnnotationText, encodeAnnotationText } from './annotation-colour.js';

const cases: { text: string; colour: AnnotationColour | null; stored: string }[] = [
  { text: 'paid from exchange A', colour: 'red', stored: '[colour:red] paid from exchange A' },
  { text: 'plain note', colour: null, stored: 'plain note' },
  { text: '', colour: 'green', stored: '[colour:green] ' },
  { text: '[colour:blue] typed by the investigator', colour: null, stored: '[colour:none] [colour:blue] typed by the investigator' },
  { text: '[colour:blue] typed', colour: 'grey', stored: '[colour:grey] [colour:blue] typed' },
  { text: '[colour:magenta] not a colour we have', colour: null, stored: '[colour:none] [colour:magenta] not a colour we have' },
];

describe('annotation colour labels', () => {
  for (const { text, colour, stored } of cases) {
    it(`stores ${JSON.stringify(text)} with ${colour ?? 'no colour'} as ${JSON.stringify(stored)} and reads it back`, () => {
      expect(encodeAnnotationText(text, colour)).toBe(stored);
      expect(decodeAnnotationText(stored)).toEqual({ text, colour });
    });
  }

  it('reads notes written without the API (no marker) as uncoloured text', () => {
    expect(decodeAnnotationText('[colour:magenta] written by another tool')).toEqual({ text: '[colour:magenta] written by another tool', colour: null });
  });
});
