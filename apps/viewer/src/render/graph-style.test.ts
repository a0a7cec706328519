import { describe, expect, it } from 'vitest';
import { ANNOTATION_COLOURS } from '../api/wire-types.js';
import { ANNOTATION_COLOUR_VALUES, annotationColourValue } from './graph-style.js';

describe('colour labels as drawn', () => {
  it.each(ANNOTATION_COLOURS)('draws the swatch %s in its palette colour', (name) => {
    expect(annotationColourValue(name)).toBe(ANNOTATION_COLOUR_VALUES[name]);
  });

  it('draws a #rrggbb label the API holds as that colour, and a name it does not know as grey', () => {
    expect(annotationColourValue('#12ab34')).toBe('#12ab34');
    expect(annotationColourValue('teal')).toBe(ANNOTATION_COLOUR_VALUES.grey);
    expect(annotationColourValue('#12ab3')).toBe(ANNOTATION_COLOUR_VALUES.grey);
  });
});
