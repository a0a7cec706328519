import { useState } from 'react';
import { exportEvidence, type EvidenceScope } from '../state/evidence-actions.js';
import { useViewerStore } from '../state/viewer-store.js';
import { Popover } from './Popover.js';
import { useViewer } from './viewer-context-react.js';

const SCOPES: readonly { scope: EvidenceScope; label: string; hint: string }[] = [
  { scope: 'view', label: 'The current view', hint: 'every node drawn, with the transactions behind them' },
  { scope: 'payers', label: 'The payers report', hint: 'and every transaction it cites' },
  { scope: 'flows', label: 'The flows report', hint: "from the seeds' entities, all three models" },
];

/** "Export evidence": a bundle another expert can verify offline, built by the API (analyst role). */
export function EvidenceMenu() {
  const ctx = useViewer();
  const role = useViewerStore((s) => s.session?.role);
  const last = useViewerStore((s) => s.evidence);
  const running = useViewerStore((s) => s.tasks.some((t) => t.label.startsWith('Export evidence')));
  const [scope, setScope] = useState<EvidenceScope>('view');
  const [render, setRender] = useState(true);
  const [proofs, setProofs] = useState(true);
  return (
    <Popover label="Evidence" title="Export an evidence bundle">
      {(close) => (
        <form
          className="evidence-menu"
          onSubmit={(e) => {
            e.preventDefault();
            close();
            void exportEvidence(ctx, { scope, render, proofs });
          }}
        >
          <fieldset>
            <legend>Bundle of</legend>
            {SCOPES.map((s) => (
              <label key={s.scope}>
                <input type="radio" name="evidence-scope" value={s.scope} checked={scope === s.scope} onChange={() => setScope(s.scope)} /> {s.label} <span className="hint">({s.hint})</span>
              </label>
            ))}
          </fieldset>
          <label>
            <input type="checkbox" checked={proofs} onChange={(e) => setProofs(e.target.checked)} /> Merkle proofs and block headers from the case’s chain source
          </label>
          <label>
            <input type="checkbox" checked={render} onChange={(e) => setRender(e.target.checked)} /> PDF report and PNG figure (rendered on the server, slower)
          </label>
          {role === 'viewer' && <p className="hint">Your token is read-only (viewer role): the server will refuse the export; it needs an analyst token.</p>}
          <button type="submit" disabled={running}>
            Export evidence
          </button>
          <p className="hint">A zip with manifest.json, the tables, raw transactions, proofs and SHA256SUMS; check it offline with chaintrail verify FILE.zip.</p>
          {last !== null && (
            <section className="last-evidence" aria-label="Last bundle">
              <h3>Last bundle: {last.scope}</h3>
              <p className="mono">{last.fileName}</p>
              <p>
                {last.files} files, {(last.bytes / 1024).toFixed(0)} KiB · {last.proofsComplete ? 'all proofs included' : `${last.missingProofs} proofs missing`} ·{' '}
                {last.hashChecked === null ? 'SHA-256 not checked (this page has no Web Crypto)' : 'SHA-256 checked on arrival'}
              </p>
              <p className="mono hint">SHA-256 {last.sha256}</p>
              {last.notes.length > 0 && (
                <details>
                  <summary>
                    {last.notes.length} note{last.notes.length === 1 ? '' : 's'} in the bundle’s manifest
                  </summary>
                  <ul className="plain hint">
                    {last.notes.map((note) => (
                      <li key={note}>{note}</li>
                    ))}
                  </ul>
                </details>
              )}
            </section>
          )}
        </form>
      )}
    </Popover>
  );
}
