import { useState } from 'react';
import type { FlowModelNameJson, FlowReportJson } from '../api/report-wire-types.js';
import { formatBtc } from '../graph/btc-amount.js';
import { refOfKey } from '../graph/node-key.js';
import { destinationRows, modelResult, reconcile } from '../reports/flow-rows.js';
import { entityName, formatShare } from '../reports/report-format.js';
import { chooseFlowModel, loadFlowReport, showReportPath } from '../state/report-actions.js';
import { useViewerStore } from '../state/viewer-store.js';
import { btc } from './display-format.js';
import { PathRow } from './PathRow.js';
import { ReportFacts } from './ReportFacts.js';
import { ReportForm } from './ReportForm.js';
import { ReportState } from './ReportState.js';
import { useViewer } from './viewer-context-react.js';

const MODELS: readonly { name: FlowModelNameJson; label: string }[] = [
  { name: 'poison', label: 'Poison' },
  { name: 'haircut', label: 'Haircut' },
  { name: 'fifo', label: 'FIFO' },
];

/** Forfeiture tracing: where the origin's money went under a chosen flow model. */
export function FlowsReportView() {
  const ctx = useViewer();
  const state = useViewerStore((s) => s.reports.flows);
  const selected = useViewerStore((s) => s.selection.at(-1) ?? null);
  const siteEntities = useViewerStore((s) => s.siteEntities);
  const [from, setFrom] = useState('');
  const [hopLimit, setHopLimit] = useState(8);
  const origins = from
    .split(/[\s,]+/)
    .map((t) => t.trim())
    .filter((t) => t !== '');
  const run = (): void => void loadFlowReport(ctx, { from: origins, fromSeeds: origins.length === 0, hopLimit });
  const selectedRef = selected === null ? null : refOfKey(selected);
  return (
    <div className="report">
      <ReportForm hops={hopLimit} onHops={setHopLimit} hopsLabel="Hops forward" running={state.status === 'loading'} runLabel={state.status === 'ready' ? 'Trace again' : 'Trace the flows'} onRun={run}>
        <label className="wide">
          <span>From (entity ids or addresses; empty: the seeds’ entities)</span>
          <input value={from} onChange={(e) => setFrom(e.target.value)} placeholder="e.g. the site's wallet entity" maxLength={4096} />
        </label>
        {selectedRef !== null && selectedRef.kind !== 'tx' && (
          <button type="button" className="small" onClick={() => setFrom(selectedRef.id)}>
            Use the selected {selectedRef.kind}
          </button>
        )}
        {siteEntities.size > 0 && (
          <button type="button" className="small" onClick={() => setFrom([...siteEntities].join(','))}>
            Use the site’s wallet
          </button>
        )}
      </ReportForm>
      <ReportState
        state={state}
        idle={<p className="hint">Forward from the site: per destination the amount traced under poison, haircut or FIFO, its share of the site’s receipts, what is still unspent there (seizable) and what sits at a tagged service. Totals reconcile to the satoshi. Click a row to put its path on the canvas.</p>}
        loading="Tracing the flows on the server…"
        onRetry={run}
      >
        {(report) => <FlowsTables report={report} />}
      </ReportState>
    </div>
  );
}

function FlowsTables({ report }: { report: FlowReportJson }) {
  const ctx = useViewer();
  const active = useViewerStore((s) => s.reports.activeRow);
  const model = useViewerStore((s) => s.reports.flowModel);
  const available = MODELS.filter((m) => modelResult(report, m.name) !== undefined);
  const chosen = modelResult(report, model) === undefined ? (available[0]?.name ?? model) : model;
  const result = modelResult(report, chosen);
  const rows = destinationRows(report, chosen);
  const origin = report.origin.entities;
  return (
    <>
      <p>
        From {origin.length === 1 ? entityName(origin[0]!) : `${origin.length} entities and addresses`} ({report.origin.addresses} address{report.origin.addresses === 1 ? '' : 'es'}).
      </p>
      <ReportFacts report={report} />
      <fieldset className="model-choice">
        <legend>Flow model</legend>
        {available.map((m) => (
          <label key={m.name} title={modelResult(report, m.name)?.model.rule}>
            <input type="radio" name="flow-model" value={m.name} checked={chosen === m.name} onChange={() => chooseFlowModel(ctx, m.name)} /> {m.label}
          </label>
        ))}
      </fieldset>
      {result !== undefined && (
        <>
          <p className="hint" data-testid="flow-model">
            Model: <strong>{result.model.name}</strong> v{result.model.version}: {result.model.rule} <span title={result.model.source}>(source)</span>
          </p>
          <Reconciliation report={report} model={chosen} />
          {rows.length === 0 ? (
            <p className="hint">No traced money left the origin within the hop limit.</p>
          ) : (
            <table className="report-table" aria-label={`Destinations under ${result.model.name}`}>
              <thead>
                <tr>
                  <th scope="col">Destination</th>
                  <th scope="col" className="num">
                    Hops
                  </th>
                  <th scope="col" className="num">
                    BTC traced
                  </th>
                  <th scope="col" className="num">
                    Share of receipts
                  </th>
                  <th scope="col" className="num">
                    Unspent (seizable)
                  </th>
                  <th scope="col" className="num">
                    At a service
                  </th>
                  <th scope="col" className="num">
                    Passed on
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <PathRow key={row.id} id={row.id} active={active === row.id} label={`Destination ${row.name}`} onShow={row.path === null ? null : () => void showReportPath(ctx, row.id, row.path!)}>
                    <td className={row.category === null ? 'mono' : ''} title={`${row.node.kind} ${row.node.id}`}>
                      {row.name}
                      {row.category !== null && <span className="hint"> · {row.category}</span>}
                    </td>
                    <td className="num">{row.hops}</td>
                    <td className="num amount">{formatBtc(row.received)}</td>
                    <td className="num">{formatShare(row.share)}</td>
                    <td className="num amount">
                      {formatBtc(row.unspent)}
                      {row.holdings > 0 && <span className="hint"> ({row.holdings} output{row.holdings === 1 ? '' : 's'})</span>}
                    </td>
                    <td className="num amount">{formatBtc(row.atService)}</td>
                    <td className="num amount">{formatBtc(row.passedOn)}</td>
                  </PathRow>
                ))}
              </tbody>
            </table>
          )}
          {result.services.length > 0 && (
            <table className="report-table compact" aria-label="Held by tagged services">
              <caption>Held by tagged services (accounts to freeze)</caption>
              <tbody>
                {result.services.map((s) => (
                  <tr key={s.service}>
                    <th scope="row">
                      {s.service}
                      {s.category !== null && <span className="hint"> · {s.category}</span>}
                    </th>
                    <td className="num amount">{btc(s.amount)}</td>
                    <td className="num">{formatShare(s.share)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </>
  );
}

/** received + returned + contaminated = traced out + fees + unspent + walk limit, checked here again. */
function Reconciliation({ report, model }: { report: FlowReportJson; model: FlowModelNameJson }) {
  const result = modelResult(report, model);
  if (result === undefined) return null;
  const check = reconcile(result.reconciliation);
  const side = (terms: typeof check.incoming) =>
    terms
      .filter((t, i) => i === 0 || t.sats !== 0n)
      .map((t) => `${formatBtc(t.sats)} ${t.label}`)
      .join(' + ');
  return (
    <p className={`reconciliation ${check.balanced ? 'balanced' : 'unbalanced'}`} data-testid="reconciliation">
      <strong>{check.balanced ? 'Reconciles to the satoshi' : 'Does not reconcile'}:</strong> {side(check.incoming)} = <span className="amount">{formatBtc(check.incomingTotal)} BTC</span> ={' '}
      {side(check.outgoing)} = <span className="amount">{formatBtc(check.outgoingTotal)} BTC</span>
      {check.disagrees && <span className="error"> The report’s own check disagrees with these sums: do not rely on it; run it again.</span>}
    </p>
  );
}
