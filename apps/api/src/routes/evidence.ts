/**
 * "Export evidence" for the viewer: the current view (or a saved view, or a report) of a
 * case as an evidence bundle zip (@chaintrail/evidence), built on the server and returned
 * base64-encoded in the JSON answer with its SHA-256, so the viewer can save it as a file.
 * Proofs come from the chain source the case was ingested from; when it cannot be opened
 * the bundle says so and verifies as incomplete, never as a quiet pass.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportEvidenceBundle, findView, openRecordedProofSource, REPORT_NAMES, viewTxids, type ExportScope, type ReportName } from '@chaintrail/evidence';
import type { Network } from '@chaintrail/core';
import type { GraphStore, JsonValue } from '@chaintrail/store';
import { z } from 'zod';
import { BadRequestError, NotInCaseError } from '../errors.js';
import { defineRoute, type ApiRoute } from '../http/api-route.js';
import { textParam } from '../schemas/request-schemas.js';
import { caseParams } from './case-routes.js';

/** Transactions cited per address node of a view; more make a bundle no viewer should wait for. */
const MAX_ADDRESS_TXS = 1_000;

const exportBody = z
  .strictObject({
    /** A saved view, by id or name. */
    view: textParam(200).optional(),
    /** The viewer's current (unsaved) state: its `{ kind, id }` nodes are cited. */
    state: z.json().optional(),
    report: z.enum(REPORT_NAMES).optional(),
    /** ISO 8601; default the time of the case's last job (reproducible bundles). */
    exportedAt: z.iso.datetime({ offset: true }).optional(),
    /** 'recorded': the chain source the case was ingested from; 'none': no proofs (the bundle says so). */
    proofs: z.enum(['recorded', 'none']).default('recorded'),
    /** The PDF report and PNG figure (Chromium on the server); false for a quicker bundle without them. */
    render: z.boolean().default(true),
  })
  .refine((b) => [b.view, b.state, b.report].filter((x) => x !== undefined).length === 1, { message: 'give exactly one of view, state and report' });

const exportAnswer = z.strictObject({
  fileName: z.string(),
  sha256: z.string(),
  bytes: z.number().int(),
  files: z.number().int(),
  proofsComplete: z.boolean(),
  missingProofs: z.number().int(),
  notes: z.array(z.string()),
  manifest: z.json(),
  zipBase64: z.string(),
});

export interface EvidenceRouteOptions {
  /** Block-file index and Esplora answer cache of the recorded source (default: the chain package's). */
  readonly cacheDir?: string;
  readonly toolVersion?: string;
  /** Network of the case's addresses (default mainnet). */
  readonly network?: Network;
}

export function evidenceRoutes(options: EvidenceRouteOptions = {}): ApiRoute[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/api/cases/:caseId/evidence',
      summary: 'Export an evidence bundle (zip, base64) of the current view, a saved view or a report, verifiable offline with `chaintrail verify`',
      tag: 'evidence',
      permission: 'annotate',
      params: caseParams,
      body: exportBody,
      response: exportAnswer,
      handler: async ({ params, body, who, deps }) => {
        const record = await deps.store.getCase(params.caseId);
        const { scope, reports } = await scopeOf(deps.store, record.id, record.name, body);
        const { source, reason } = body.proofs === 'none' ? { source: null, reason: 'the export was asked for without proofs' } : await openRecordedProofSource(deps.store, record.id, { network: options.network ?? 'mainnet', ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}) });
        const dir = mkdtempSync(join(tmpdir(), 'chaintrail-evidence-'));
        try {
          const out = join(dir, 'bundle.zip');
          const result = await exportEvidenceBundle({
            store: deps.store,
            caseId: record.id,
            scope,
            reports,
            out,
            source,
            ...(source === null ? { noSourceReason: reason } : {}),
            toolVersion: options.toolVersion ?? '0.1.0',
            network: options.network ?? 'mainnet',
            exportedBy: `${who.label} (API token ${who.tokenId}, role ${who.role})`,
            exportedAt: body.exportedAt ?? null,
            chromium: body.render ? null : false,
            parameters: { via: 'api', view: body.view ?? null, report: body.report ?? null, proofs: body.proofs, render: body.render },
          });
          const zip = readFileSync(out);
          const m = result.manifest;
          return {
            fileName: `${record.name}-evidence-${result.sha256.slice(0, 12)}.zip`,
            sha256: result.sha256,
            bytes: zip.length,
            files: result.files,
            proofsComplete: m.proofs.complete,
            missingProofs: m.proofs.merkle.missing.length,
            notes: [...m.scope.notes, ...m.chain.notes, ...m.optionalFiles.filter((f) => !f.included).map((f) => `${f.path} not produced: ${f.how}`)],
            manifest: m as unknown as JsonValue,
            zipBase64: zip.toString('base64'),
          };
        } finally {
          await source?.close();
          rmSync(dir, { recursive: true, force: true });
        }
      },
    }),
  ];
}

async function scopeOf(store: GraphStore, caseId: string, caseName: string, body: z.output<typeof exportBody>): Promise<{ scope: ExportScope; reports: ReportName[] }> {
  if (body.report !== undefined) {
    return { scope: { kind: 'report', name: body.report, description: `the ${body.report} report and every transaction it cites`, txids: [] }, reports: [body.report] };
  }
  if (body.view !== undefined) {
    let view;
    try {
      view = await findView(store, caseId, caseName, body.view);
    } catch (error) {
      if ((error as { code?: string }).code === 'CHAINTRAIL_NOT_FOUND_VIEW') throw new NotInCaseError('view', body.view, caseId);
      throw error;
    }
    const found = await viewTxids(store, view.state, MAX_ADDRESS_TXS);
    return { scope: { kind: 'view', name: view.name, description: `saved view "${view.name}"`, txids: found.txids, notes: found.notes }, reports: [] };
  }
  const found = await viewTxids(store, body.state as JsonValue, MAX_ADDRESS_TXS);
  if (found.nodes.addresses + found.nodes.txs + found.nodes.entities === 0) throw new BadRequestError('body.state', 'the view holds no {kind, id} node to export');
  return { scope: { kind: 'view', name: null, description: "the viewer's current view", txids: found.txids, notes: found.notes }, reports: [] };
}
