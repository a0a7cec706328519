import type { NodeRef } from '../api/wire-types.js';
import { addNodes } from '../state/graph-actions.js';
import type { NodePanel } from '../state/node-panel.js';
import { useViewerStore } from '../state/viewer-store.js';
import { ClusterExplanationView } from './ClusterExplanationView.js';
import { btc, chainPoint, utcTime } from './display-format.js';
import { TagTable } from './TagTable.js';
import { useViewer } from './viewer-context-react.js';

function AddButton({ node, children }: { node: NodeRef; children: string }) {
  const ctx = useViewer();
  return (
    <button type="button" className="link mono" onClick={() => addNodes(ctx, [node], 'search')} title="Put it on the canvas">
      {children}
    </button>
  );
}

/** Totals, first and last seen, entity, tags and cluster explanation of the selected node. */
export function NodeDetails({ panel }: { panel: NodePanel }) {
  const siteEntities = useViewerStore((s) => s.siteEntities);
  const kind = panel.key.slice(0, panel.key.indexOf(':'));
  const id = panel.key.slice(panel.key.indexOf(':') + 1);
  if (panel.error !== null) {
    return (
      <p className="error" role="alert">
        Details could not be loaded: {panel.error}
      </p>
    );
  }
  return (
    <>
      {panel.loading && <p role="status">Loading details…</p>}
      {panel.unknown && <p className="hint">The store holds no transaction of this address: it was seen only as a counterparty outside the ingested hops, or it is not part of this case.</p>}
      {panel.summary !== null && (
        <dl className="facts">
          <dt>Received</dt>
          <dd>{btc(panel.summary.received)}</dd>
          <dt>Sent</dt>
          <dd>{btc(panel.summary.sent)}</dd>
          <dt>Balance</dt>
          <dd>{btc(panel.summary.balance)}</dd>
          <dt>Transactions</dt>
          <dd>
            {panel.summary.txCount} ({panel.summary.outputCount} outputs, {panel.summary.unspentCount} unspent)
          </dd>
          <dt>First seen</dt>
          <dd>{chainPoint(panel.summary.firstSeen)}</dd>
          <dt>Last seen</dt>
          <dd>{chainPoint(panel.summary.lastSeen)}</dd>
          <dt>Script</dt>
          <dd>{panel.summary.scriptType ?? '—'}</dd>
        </dl>
      )}
      {panel.entity !== null && (
        <section aria-labelledby="entity-title">
          <h3 id="entity-title">{kind === 'entity' ? 'Entity' : 'Its entity'}</h3>
          <dl className="facts">
            <dt>Name</dt>
            <dd>{panel.entity.label ?? (siteEntities.has(panel.entity.id) ? "the site's wallet (it holds seized addresses)" : 'unnamed (no tag on any address)')}</dd>
            <dt>Category</dt>
            <dd>{panel.entity.category ?? '—'}</dd>
            <dt>Size</dt>
            <dd data-testid="entity-size">
              {panel.entity.size.toLocaleString('en-US')} address{panel.entity.size === 1 ? '' : 'es'}
            </dd>
            <dt>Id</dt>
            <dd>{kind === 'entity' ? <span className="mono">{panel.entity.id}</span> : <AddButton node={{ kind: 'entity', id: panel.entity.id }}>{panel.entity.id}</AddButton>}</dd>
            {kind === 'entity' && (
              <>
                <dt>Received</dt>
                <dd>{btc(panel.entity.received)}</dd>
                <dt>Sent</dt>
                <dd>{btc(panel.entity.sent)}</dd>
                <dt>First seen</dt>
                <dd>{chainPoint(panel.entity.firstSeen)}</dd>
                <dt>Last seen</dt>
                <dd>{chainPoint(panel.entity.lastSeen)}</dd>
              </>
            )}
          </dl>
        </section>
      )}
      {panel.tags !== null && <TagTable tags={panel.tags} caption="Tags on this address" />}
      {panel.entityTags !== null && <TagTable tags={panel.entityTags} caption={kind === 'entity' ? "Tags on the entity's addresses" : "Tags on its entity's addresses"} />}
      {panel.explanation !== null && panel.entity !== null && (
        <ClusterExplanationView nodeKey={panel.key} address={id} entityLabel={panel.entity.label ?? `entity ${panel.entity.id}`} explanation={panel.explanation} />
      )}
      {panel.members !== null && kind === 'entity' && (
        <section aria-labelledby="members-title">
          <h3 id="members-title">Addresses (first {panel.members.length})</h3>
          <ul className="plain">
            {panel.members.map((member) => (
              <li key={member}>
                <AddButton node={{ kind: 'address', id: member }}>{member}</AddButton>
              </li>
            ))}
          </ul>
        </section>
      )}
      {panel.tx !== null && (
        <>
          <dl className="facts">
            <dt>Time</dt>
            <dd>{utcTime(panel.tx.placement?.blockTime ?? null)}</dd>
            <dt>Block</dt>
            <dd>{panel.tx.placement?.blockHeight.toLocaleString('en-US') ?? 'unconfirmed'}</dd>
            <dt>Fee</dt>
            <dd>{panel.tx.fee === null ? 'unknown (inputs not all stored)' : btc(panel.tx.fee)}</dd>
            <dt>Size</dt>
            <dd>{panel.tx.vsize} vbytes</dd>
            <dt>CoinJoin</dt>
            <dd>{panel.tx.coinjoin === null ? 'no' : `yes: ${panel.tx.coinjoin} (common-input ownership not applied)`}</dd>
          </dl>
          <h3>Inputs ({panel.tx.inputs.length})</h3>
          <ul className="plain io">
            {panel.tx.inputs.slice(0, 50).map((input) => (
              <li key={input.vin}>
                {input.coinbase ? 'new coins (coinbase)' : input.address === null ? 'not stored' : <AddButton node={{ kind: 'address', id: input.address }}>{input.address}</AddButton>}
                {input.value !== null && <span className="amount">{btc(BigInt(input.value))}</span>}
              </li>
            ))}
          </ul>
          <h3>Outputs ({panel.tx.outputs.length})</h3>
          <ul className="plain io">
            {panel.tx.outputs.slice(0, 50).map((output) => (
              <li key={output.vout}>
                {output.address === null ? 'no address (data or non-standard)' : <AddButton node={{ kind: 'address', id: output.address }}>{output.address}</AddButton>}
                <span className="amount">{btc(BigInt(output.value))}</span>
                <span className="hint">{output.spentBy === null ? 'unspent (as far as stored)' : 'spent'}</span>
              </li>
            ))}
          </ul>
          {(panel.tx.inputs.length > 50 || panel.tx.outputs.length > 50) && <p className="hint">The first 50 of each are listed; the CSV export of an expansion holds all.</p>}
        </>
      )}
    </>
  );
}
