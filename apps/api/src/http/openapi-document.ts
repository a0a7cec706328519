/**
 * The OpenAPI 3.0 document, built from the same route definitions and zod schemas that
 * validate requests and shape answers (`z.toJSONSchema`, input side = the JSON on the wire).
 */
import { z } from 'zod';
import { PERMISSION_VERBS } from '../auth/roles.js';
import { errorBodySchema } from '../schemas/access-schemas.js';
import type { ApiRoute } from './api-route.js';

type JsonSchema = Record<string, unknown>;

const toSchema = (schema: z.ZodType): JsonSchema =>
  z.toJSONSchema(schema, { io: 'input', target: 'openapi-3.0', unrepresentable: 'any', cycles: 'ref', reused: 'inline' });

const errorResponses = {
  '400': 'Invalid input; `error.field` names the field',
  '401': 'No valid bearer token',
  '403': "The token's role may not do this",
  '404': 'Not in the store',
  '429': 'Too many requests from this token',
};

export function openApiDocument(routes: readonly ApiRoute[], version: string): JsonSchema {
  const errorSchema = toSchema(errorBodySchema);
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const operation: Record<string, unknown> = {
      operationId: `${route.method.toLowerCase()}${path.replace(/[{}]/g, '').replace(/\/(\w)/g, (_m, c: string) => c.toUpperCase())}`,
      summary: route.summary,
      description: `Needs a token whose role may ${PERMISSION_VERBS[route.permission]}.`,
      tags: [route.tag],
      parameters: [...parametersOf(route.params, 'path'), ...parametersOf(route.query, 'query')],
      responses: {
        [String(route.status ?? 200)]: { description: 'OK', content: { 'application/json': { schema: toSchema(route.response) } } },
        ...Object.fromEntries(
          Object.entries(errorResponses).map(([status, description]) => [status, { description, content: { 'application/json': { schema: errorSchema } } }]),
        ),
      },
    };
    if (route.body !== undefined) {
      const schema = toSchema(route.body);
      operation['requestBody'] = { required: true, content: Object.fromEntries((route.bodyTypes ?? ['application/json']).map((type) => [type, { schema }])) };
    }
    (paths[path] ??= {})[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'chaintrail investigation API',
      version,
      description:
        'A case graph over HTTP JSON. Every request needs `Authorization: Bearer <token>` and is written to a hash-chained audit log. Satoshi sums are decimal strings.',
    },
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}

/** One OpenAPI parameter per property of an object schema. */
function parametersOf(schema: z.ZodType | undefined, location: 'path' | 'query'): JsonSchema[] {
  if (schema === undefined) return [];
  const json = toSchema(schema);
  const properties = (json['properties'] ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json['required'] ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || required.has(name),
    ...(typeof property['description'] === 'string' ? { description: property['description'] } : {}),
    schema: property,
  }));
}
