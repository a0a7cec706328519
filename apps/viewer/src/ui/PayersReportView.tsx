import { useState } from 'react';
import type { PayerReportJson } from '../api/report-wire-types.js';
import { formatBtc } from '../graph/btc-amount.js';
import { shortLabel } from '../render/graph-style.js';
import { paymentRows, payerSummaryText, serviceGroups, STATUS_LABELS } from '../reports/payer-rows.js';
import { formatShare } from '../reports/report-format.js';
import type { ReportPath } from '../reports/report-path.js';
import { loadPayerReport, showReportPath } from '../state/report-actions.js';
import { useViewerStore } from '../state/viewer-store.js';
import { btc, utcTime } from './display-format.js';
import { PathRow } from './PathRow.js';
import { ReportFacts } from './ReportFacts.js';
import { ReportForm } from './ReportForm.js';
import { ReportState } from './ReportState.js';
import { useViewer } from './viewer-context-react.js';

/** Payer identification: who paid each seized address, and the subpoena list per service. */
export function PayersReportView() {
  const ctx = useViewer();
  const state = useViewerStore((s) => s.reports.payers);
  const [hopLimit, setHopLimit] = useState(8);
  const [minShare, setMinShare] = useState('0.9');
  const run = (): void => void loadPayerReport(ctx, { hopLimit, minShare: minShare.trim() });
  return (
    <div className="report">
      <ReportForm hops={hopLimit} onHops={setHopLimit} hopsLabel="Hops back" running={state.status === 'loading'} runLabel={state.status === 'ready' ? 'Run again' : 'Run the payers report'} onRun={run}>
        <label>
          <span>Minimum share to attribute</span>
          <input className="narrow" inputMode="decimal" value={minShare} onChange={(e) => setMinShare(e.target.value)} pattern="0\.\d{1,4}|1(\.0{1,4})?" title="A share above 0 and at most 1, e.g. 0.9" />
        </label>
      </ReportForm>
      <ReportState
        state={state}
        idle={<p className="hint">For every payment to a seized address: who funded it, the nearest tagged service behind it (hops, path, share), CoinJoin flags, and the payments grouped by service, the list each exchange is asked about. Click a row to put its path on the canvas.</p>}
        loading="Computing the payers report on the server…"
        onRetry={run}
      >
        {(report) => <PayersTables report={report} />}
      </ReportState>
    </div>
  );
}

function PayersTables({ report }: { report: PayerReportJson }) {
  const ctx = useViewer();
  const active = useViewerStore((s) => s.reports.activeRow);
  const [view, setView] = useState<'payments' | 'services'>('payments');
  const payments = paymentRows(report);
  const services = serviceGroups(report);
  const show = (id: string, path: ReportPath | null) => (path === null ? null : () => void showReportPath(ctx, id, path));
  return (
    <>
      <p data-testid="payers-summary">{payerSummaryText(report.summary)}</p>
      <ReportFacts report={report} />
      <div className="row" role="group" aria-label="Show">
        <button type="button" className="small" aria-pressed={view === 'payments'} onClick={() => setView('payments')}>
          Payments ({payments.length})
        </button>
        <button type="button" className="small" aria-pressed={view === 'services'} onClick={() => setView('services')}>
          By service: subpoena list ({services.length})
        </button>
      </div>
      {view === 'payments' ? (
        payments.length === 0 ? (
          <p className="hint">No payment to a seized address is in the store: ingest the case first (chaintrail ingest --case {report.case.name}).</p>
        ) : (
          <table className="report-table" aria-label="Payments to the seized addresses">
            <thead>
              <tr>
                <th scope="col">Seized address</th>
                <th scope="col">Paid</th>
                <th scope="col" className="num">
                  BTC
                </th>
                <th scope="col">Funded by</th>
                <th scope="col">Nearest service</th>
                <th scope="col" className="num">
                  Hops
                </th>
                <th scope="col" className="num">
                  Share
                </th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {payments.map((row) => (
                <PathRow key={row.id} id={row.id} active={active === row.id} label={`Payment ${row.id}`} onShow={show(row.id, row.path)}>
                  <td className="mono" title={row.seed}>
                    {shortLabel('address', row.seed, null)}
                  </td>
                  <td title={row.txid}>
                    {utcTime(row.time)}
                    {row.height !== null && <span className="hint"> · {row.height.toLocaleString('en-US')}</span>}
                  </td>
                  <td className="num amount">{formatBtc(row.amount)}</td>
                  <td>{row.fundedBy === null ? '—' : `${row.fundedBy.name} (${formatShare(row.fundedBy.share)})`}</td>
                  <td>{row.service === null ? '—' : row.service.name}</td>
                  <td className="num">{row.service?.hops ?? '—'}</td>
                  <td className="num">{row.service === null ? '—' : formatShare(row.service.share)}</td>
                  <td>
                    <span className={`status ${row.status}`}>{STATUS_LABELS[row.status]}</span>
                    {row.reason !== null && row.status !== 'coinjoin' && <span className="hint"> ({row.reason})</span>}
                    {row.coinjoin && <span className="flag coinjoin">CoinJoin</span>}
                  </td>
                </PathRow>
              ))}
            </tbody>
          </table>
        )
      ) : services.length === 0 ? (
        <p className="hint">No payment traced back to a tagged service: import tags (chaintrail tags import) or raise the hop limit.</p>
      ) : (
        <table className="report-table" aria-label="Payments grouped by service">
          <thead>
            <tr>
              <th scope="col">Seized address</th>
              <th scope="col">Paid</th>
              <th scope="col" className="num">
                BTC from the service
              </th>
              <th scope="col" className="num">
                Share
              </th>
              <th scope="col" className="num">
                Hops
              </th>
              <th scope="col">Service’s output (ask about it)</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          {services.map((group) => (
            <tbody key={group.service}>
              <tr className="group-row">
                <th scope="rowgroup" colSpan={7}>
                  <strong>{group.service}</strong>
                  {group.category !== null && <span className="hint"> · {group.category}</span>} · {group.payments} payment{group.payments === 1 ? '' : 's'} ({group.attributed} attributed) to {group.payers} seized address
                  {group.payers === 1 ? '' : 'es'} · total <span className="amount">{btc(group.amount)}</span>, attributed <span className="amount">{btc(group.attributedAmount)}</span>
                  <span className="hint"> · tags: {group.tagSources.join(', ')}</span>
                </th>
              </tr>
              {group.requests.map((row) => (
                <PathRow key={row.id} id={row.id} active={active === row.id} label={`${group.service}, payment ${row.paymentTxid}`} onShow={show(row.id, row.path)}>
                  <td className="mono" title={row.seed}>
                    {shortLabel('address', row.seed, null)}
                  </td>
                  <td title={row.paymentTxid}>{utcTime(row.time)}</td>
                  <td className="num amount">{formatBtc(row.amount)}</td>
                  <td className="num">{formatShare(row.share)}</td>
                  <td className="num">{row.hops}</td>
                  <td className="mono" title={`${row.withdrawal.txid}:${row.withdrawal.vout}`}>
                    {row.withdrawal.txid.slice(0, 10)}…:{row.withdrawal.vout} → {row.withdrawal.address === null ? 'no address' : shortLabel('address', row.withdrawal.address, null)}
                  </td>
                  <td>
                    <span className={`status ${row.status}`}>{STATUS_LABELS[row.status]}</span>
                  </td>
                </PathRow>
              ))}
            </tbody>
          ))}
        </table>
      )}
    </>
  );
}
