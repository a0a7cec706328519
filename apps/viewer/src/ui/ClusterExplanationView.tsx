import type { NodeKey } from '../graph/node-key.js';
import { addNodes } from '../state/graph-actions.js';
import { explain, type ClusterExplanationPanel } from '../state/node-panel.js';
import { useViewer } from './viewer-context-react.js';

const HEURISTICS: Record<string, string> = {
  cioh: 'spent together in one transaction (common-input ownership)',
  'cioh:p2sh-wrapped': 'the P2SH address wraps this key (common-input ownership)',
};

/** "Why is this address in this entity?": the chain of links, each with its transaction. */
export function ClusterExplanationView({ nodeKey, address, entityLabel, explanation }: { nodeKey: NodeKey; address: string; entityLabel: string; explanation: ClusterExplanationPanel }) {
  const ctx = useViewer();
  return (
    <section className="explanation" aria-labelledby="why-title">
      <h3 id="why-title">Why is this address in {entityLabel}?</h3>
      <label className="row">
        <span>Linked to</span>
        <select value={explanation.other} onChange={(e) => void explain(ctx, nodeKey, e.target.value)}>
          {explanation.candidates.map((candidate) => (
            <option key={candidate} value={candidate}>
              {candidate}
            </option>
          ))}
        </select>
      </label>
      {explanation.loading && <p role="status">Looking up the links…</p>}
      {explanation.error !== null && <p className="error">{explanation.error}</p>}
      {explanation.links !== null && explanation.links.length === 0 && <p className="hint">No chain of links joins them: they are not in one entity.</p>}
      {explanation.links !== null && explanation.links.length > 0 && (
        <ol className="links">
          {explanation.links.map((link, i) => (
            <li key={`${link.txid}-${i}`}>
              <span className="mono">{short(link.a, address)}</span> and <span className="mono">{short(link.b, address)}</span>: {HEURISTICS[link.heuristic] ?? link.heuristic}, confidence {link.confidence}%,
              in transaction{' '}
              <button type="button" className="link mono" onClick={() => addNodes(ctx, [{ kind: 'tx', id: link.txid }], 'search')} title="Put this transaction on the canvas">
                {link.txid.slice(0, 16)}…
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function short(address: string, self: string): string {
  if (address === self) return 'this address';
  return address.length > 16 ? `${address.slice(0, 8)}…${address.slice(-6)}` : address;
}
