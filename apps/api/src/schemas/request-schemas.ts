/**
 * What a request may carry: path parameters, query strings and bodies. Everything is
 * checked here, before any store call; a failure names the field (`query.limit`). Values
 * reach the store only as typed arguments, never spliced into a query string.
 */
import { parseAddress, SCRIPT_ID_PREFIX, toError } from '@chaintrail/core';
import { z } from 'zod';
import { ANNOTATION_COLOURS, type AnnotationColour } from './case-schemas.js';
import { roleSchema } from './access-schemas.js';
import { nodeKindSchema } from './wire-primitives.js';

// eslint-disable-next-line no-control-regex -- the point is to find control characters
const controlCharacters = /[\u0000-\u001f\u007f-\u009f]/;

/** Free text a person typed (labels, names, search): no control characters. */
export function textParam(max: number) {
  return z
    .string()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((text) => !controlCharacters.test(text), 'must not contain control characters');
}

/** A whole number from a query string, between 1 and `max`. */
export function countParam(max: number, fallback: number) {
  return z
    .string()
    .regex(/^\d{1,9}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1, 'must be at least 1').max(max, `must be at most ${max}`))
    .default(fallback)
    .meta({ description: `1 to ${max}; default ${fallback}.` });
}

/** Satoshis from a query string (at most the 21 million BTC that can exist). */
export const satsParam = z
  .string()
  .regex(/^\d{1,16}$/, 'must be a whole number of satoshis')
  .transform((text) => BigInt(text))
  .pipe(z.bigint().max(2_100_000_000_000_000n, 'must not exceed 21 million BTC'))
  .meta({ description: 'Satoshis, a whole number.' });

/** Unix seconds from a query string. */
export const unixTimeParam = z
  .string()
  .regex(/^\d{1,10}$/, 'must be Unix seconds')
  .transform(Number)
  .pipe(z.number().int().max(4_294_967_295, 'must fit a block timestamp'));

export const booleanParam = z.enum(['true', 'false']).transform((text) => text === 'true');

export const cursorParam = z
  .string()
  .max(1024, 'must be at most 1024 characters')
  .regex(/^[A-Za-z0-9_-]+$/, 'must be the nextCursor of the previous page, unchanged');

export const txidParam = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hexadecimal digits')
  .transform((text) => text.toLowerCase());

const scriptIdPattern = new RegExp(`^${SCRIPT_ID_PREFIX}[0-9a-f]{64}$`);

/**
 * A Bitcoin address (any network; bech32 lowered) or the `script:<sha256>` identifier
 * chaintrail gives outputs without one. Checksums are checked, so a typo is a 400 that
 * says so rather than a 404.
 */
export const addressParam = z
  .string()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .transform((text, ctx) => {
    if (text.startsWith(SCRIPT_ID_PREFIX)) {
      if (scriptIdPattern.test(text)) return text;
      ctx.addIssue({ code: 'custom', message: `must be ${SCRIPT_ID_PREFIX} followed by 64 lowercase hex digits` });
      return z.NEVER;
    }
    try {
      return parseAddress(text).address;
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `not a Bitcoin address (${toError(error).message})` });
      return z.NEVER;
    }
  })
  .meta({ description: 'A Bitcoin address, or script:<sha256 hex> for an output without one.' });

/** Entity ids are made by core's entityIdFor (`E` + 24 hex); any id of that alphabet is accepted. */
export const entityIdParam = z
  .string()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .regex(/^[A-Za-z0-9_.:-]+$/, 'must be an entity id (letters, digits, _ . : -)');

/** Ids chosen by the store or the user (case, annotation, view, job). */
export const recordIdParam = textParam(200);

export const directionParam = z.enum(['in', 'out', 'both']);

/** `{kind, id}` of a graph node, with the id checked as that kind requires. */
export const nodeParams = z
  .strictObject({ kind: nodeKindSchema, id: z.string() })
  .transform((node, ctx) => {
    const parsed = (node.kind === 'address' ? addressParam : node.kind === 'tx' ? txidParam : entityIdParam).safeParse(node.id);
    if (parsed.success) return { kind: node.kind, id: parsed.data };
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: ['id'] });
    return z.NEVER;
  });

/** A palette name, or `#rrggbb` (stored in lowercase, so one colour has one spelling). */
export const annotationColourParam = z
  .string()
  .refine((text) => (ANNOTATION_COLOURS as readonly string[]).includes(text) || /^#[0-9a-fA-F]{6}$/.test(text), `must be one of ${ANNOTATION_COLOURS.join(', ')} or a #rrggbb colour`)
  .transform((text) => text.toLowerCase() as AnnotationColour)
  .meta({ description: `${ANNOTATION_COLOURS.join(', ')}, or a #rrggbb colour.` });

export const annotationCreateBody = z
  .strictObject({
    target: nodeParams,
    text: z.string().max(10_000, 'must be at most 10,000 characters').default(''),
    colour: annotationColourParam.nullable().default(null),
  })
  .refine((body) => body.text.length > 0 || body.colour !== null, { message: 'must give a note, a colour or both', path: ['text'] });

export const annotationUpdateBody = z
  .strictObject({
    text: z.string().max(10_000, 'must be at most 10,000 characters').optional(),
    colour: annotationColourParam.nullable().optional(),
  })
  .refine((body) => body.text !== undefined || body.colour !== undefined, 'must change text, colour or both');

export const savedViewBody = z.strictObject({
  name: textParam(200),
  state: z.json(),
});

export function tagImportBody(maxTags: number) {
  const optionalText = (max: number) => textParam(max).nullable().optional();
  return z.strictObject({
    tags: z
      .array(
        z.strictObject({
          address: addressParam,
          label: textParam(300),
          category: optionalText(100),
          source: textParam(500),
          confidence: optionalText(100),
          url: optionalText(2000),
          lastmod: optionalText(40),
          abuse: optionalText(100),
          actor: optionalText(200),
          context: optionalText(5000),
        }),
      )
      .min(1, 'must hold at least one tag')
      .max(maxTags, `must hold at most ${maxTags} tags; split the import`),
  });
}

export const tokenCreateBody = z.strictObject({
  role: roleSchema,
  label: textParam(100),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
