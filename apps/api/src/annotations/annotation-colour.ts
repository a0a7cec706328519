/**
 * Colour labels ride inside the annotation text, because the GraphStore's Annotation has
 * no colour field yet (reported to the store's owner). The marker is readable where the
 * text surfaces unparsed (CLI, evidence bundle): `[colour:red] paid from exchange A`.
 * A note that itself starts like a marker gets an explicit `[colour:none] ` prefix, so
 * decoding never mistakes a user's words for a colour.
 */
import { ANNOTATION_COLOURS, type AnnotationColour } from '../schemas/case-schemas.js';

const marker = /^\[colour:([a-z]+)\] /;

export function encodeAnnotationText(text: string, colour: AnnotationColour | null): string {
  if (colour !== null) return `[colour:${colour}] ${text}`;
  return marker.test(text) ? `[colour:none] ${text}` : text;
}

export function decodeAnnotationText(stored: string): { text: string; colour: AnnotationColour | null } {
  const match = marker.exec(stored);
  if (match === null) return { text: stored, colour: null };
  const name = match[1]!;
  const rest = stored.slice(match[0].length);
  if (name === 'none') return { text: rest, colour: null };
  return (ANNOTATION_COLOURS as readonly string[]).includes(name) ? { text: rest, colour: name as AnnotationColour } : { text: stored, colour: null };
}
