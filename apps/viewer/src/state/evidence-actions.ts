/**
 * "Export evidence": the API builds a bundle (manifest, tables, raw transactions, merkle
 * proofs, SHA256SUMS, report) of the current view or a report, and the viewer saves the
 * zip after checking its bytes against the SHA-256 the server states. The bundle is then
 * checked offline with `chaintrail verify FILE.zip`.
 */
import { isAbort } from '../api/viewer-api-error.js';
import { base64Bytes, sha256Hex } from '../export/bundle-bytes.js';
import { saveBlob } from '../export/download.js';
import { evidenceFailureText } from '../export/evidence-failure.js';
import { evidenceViewState } from '../export/evidence-scope.js';
import type { EvidenceResult } from './evidence-result.js';
import { runTask } from './task-runner.js';
import type { ViewerContext } from './viewer-context.js';
import { postMessage } from './viewer-store.js';

export type EvidenceScope = 'view' | 'payers' | 'flows';

export interface EvidenceRequest {
  readonly scope: EvidenceScope;
  /** The PDF report and PNG figure, rendered by Chromium on the server (slower). */
  readonly render: boolean;
  /** Merkle proofs and headers from the chain source the case was ingested from. */
  readonly proofs: boolean;
}

export class EvidenceHashMismatchError extends Error {
  readonly code = 'CHAINTRAIL_VIEWER_EVIDENCE_HASH';
  constructor(fileName: string, stated: string, actual: string) {
    super(`${fileName} arrived with SHA-256 ${actual}, not the ${stated} the server stated; it was not saved. Export again; if it happens again, export on the server with chaintrail export.`);
    this.name = 'EvidenceHashMismatchError';
  }
}

const SCOPE_TEXT: Readonly<Record<Exclude<EvidenceScope, 'view'>, string>> = { payers: 'payers report', flows: 'flows report' };

export async function exportEvidence(ctx: ViewerContext, request: EvidenceRequest): Promise<void> {
  const { caseId, model } = ctx.store.getState();
  if (caseId === null) return;
  let body;
  let scope: string;
  if (request.scope === 'view') {
    const state = evidenceViewState(model, new Set(ctx.canvas.scene().display.nodes.map((n) => n.key)));
    if (state.nodes.length === 0) {
      postMessage(ctx.store, 'info', 'The canvas is empty: put the nodes the evidence should cover on it first, or export a report.');
      return;
    }
    body = { state };
    scope = `current view (${state.nodes.length} node${state.nodes.length === 1 ? '' : 's'})`;
  } else {
    body = { report: request.scope };
    scope = SCOPE_TEXT[request.scope];
  }
  await runTask(ctx.store, `Export evidence: ${scope}`, async (signal, progress) => {
    const started = Date.now();
    const tick = (): void => progress(`the server is gathering transactions and proofs… ${Math.round((Date.now() - started) / 1000)} s`);
    tick();
    const timer = setInterval(tick, 1000);
    let answer;
    try {
      answer = await ctx.client.exportEvidence(caseId, { ...body, render: request.render, proofs: request.proofs ? 'recorded' : 'none' }, { signal });
    } catch (error) {
      if (!isAbort(error)) postMessage(ctx.store, 'error', evidenceFailureText(error));
      // Said above in the investigator's terms; a cancel is reported by the task.
      if (isAbort(error)) throw error;
      return;
    } finally {
      clearInterval(timer);
    }
    progress(`checking ${(answer.bytes / 1024 / 1024).toFixed(2)} MB against its SHA-256`);
    const bytes = base64Bytes(answer.zipBase64);
    const actual = await sha256Hex(bytes);
    if (actual !== null && actual !== answer.sha256) throw new EvidenceHashMismatchError(answer.fileName, answer.sha256, actual);
    saveBlob(new Blob([bytes], { type: 'application/zip' }), answer.fileName);
    const result: EvidenceResult = {
      fileName: answer.fileName,
      sha256: answer.sha256,
      bytes: answer.bytes,
      files: answer.files,
      scope,
      proofsComplete: answer.proofsComplete,
      missingProofs: answer.missingProofs,
      notes: answer.notes,
      hashChecked: actual !== null,
    };
    ctx.store.setState({ evidence: result });
    const proofs = answer.proofsComplete ? 'all merkle proofs included' : `${answer.missingProofs} merkle proof${answer.missingProofs === 1 ? '' : 's'} missing (the bundle says so and verifies as incomplete)`;
    postMessage(ctx.store, answer.proofsComplete ? 'success' : 'info', `Evidence bundle saved: ${answer.fileName} (${answer.files} files, ${proofs}). Check it offline with chaintrail verify ${answer.fileName}.`);
  });
}
