/**
 * Annotation colour labels, checked the same way by both stores: a palette name (the
 * viewer's swatches) or a `#rrggbb` hex colour, kept in lowercase so one colour has one
 * spelling in the store.
 */
import type { AnnotationColour, AnnotationPaletteColour } from './graph-store.js';
import { BadAnnotationColourError } from './errors.js';

export const annotationPalette: readonly AnnotationPaletteColour[] = ['red', 'orange', 'yellow', 'green', 'blue', 'purple', 'grey'];

const hexColour = /^#[0-9a-fA-F]{6}$/;

/** The colour as stored (null for none), or BadAnnotationColourError naming the value. */
export function checkAnnotationColour(colour: unknown): AnnotationColour | null {
  if (colour === undefined || colour === null) return null;
  if (typeof colour === 'string') {
    if ((annotationPalette as readonly string[]).includes(colour)) return colour as AnnotationPaletteColour;
    if (hexColour.test(colour)) return colour.toLowerCase() as AnnotationColour;
  }
  throw new BadAnnotationColourError(colour, annotationPalette);
}
