/** Tag files (GraphSense TagPack YAML, OFAC list, CSV) uploaded as they are, imported as `chaintrail tags import` does. */
import { tagFileKind } from '@chaintrail/ingest';
import { z } from 'zod';
import type { ApiLimits } from '../api-config.js';
import { defineRoute, type ApiRoute } from '../http/api-route.js';
import { TEXT_BODY_TYPES } from '../http/audit-hooks.js';
import { tagFileImportResultSchema, tagFileKindSchema } from '../schemas/tag-schemas.js';
import { importUploadedTags } from '../tags/uploaded-tag-file.js';
import { caseParams } from './case-routes.js';

/** A file name without folders: it becomes part of every tag's source. */
const fileNameParam = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'must be a file name of letters, digits, dot, dash and underscore (at most 100), without folders')
  .meta({ description: "The file's name, e.g. `sanctioned_addresses_XBT.txt`: tags record it in their source, so re-importing the same name updates them." });

export function tagFileRoutes(limits: ApiLimits): ApiRoute[] {
  const maxBytes = limits.bodyLimitBytes * 16;
  return [
    defineRoute({
      method: 'POST',
      path: '/api/cases/:caseId/tags/import',
      summary: 'Import a tag file (TagPack YAML, OFAC .txt/.json, CSV) sent as the body, as `chaintrail tags import` does; bad entries are reported by line',
      tag: 'cases',
      permission: 'import',
      params: caseParams,
      query: z
        .strictObject({
          name: fileNameParam,
          format: tagFileKindSchema.optional().meta({ description: 'tagpack, ofac or csv; default from the extension of `name` (.yaml/.yml, .csv/.tsv, anything else OFAC).' }),
        })
        .transform((query) => ({ name: query.name, kind: query.format ?? tagFileKind(query.name) })),
      body: z
        .string()
        .min(1, 'must not be empty: send the tag file as the body')
        .max(maxBytes, `must be at most ${maxBytes} characters`)
        .meta({ description: 'The file as it is on disk (Content-Type text/plain, text/csv, application/yaml, or application/json for an OFAC JSON list).' }),
      bodyText: true,
      bodyTypes: [...TEXT_BODY_TYPES, 'application/json'],
      bodyLimit: maxBytes,
      response: tagFileImportResultSchema,
      handler: async ({ params, query, body, deps }) => {
        await deps.store.getCase(params.caseId);
        return importUploadedTags(deps.store, { text: body, name: query.name, kind: query.kind });
      },
    }),
  ];
}
