import type { KeyboardEvent } from 'react';
import { openReports } from '../state/report-actions.js';
import type { ReportTab } from '../state/report-state.js';
import { useViewerStore } from '../state/viewer-store.js';
import { FlowsReportView } from './FlowsReportView.js';
import { PayersReportView } from './PayersReportView.js';
import { useViewer } from './viewer-context-react.js';

const TABS: readonly { tab: ReportTab; label: string }[] = [
  { tab: 'payers', label: 'Who paid the site (payers)' },
  { tab: 'flows', label: 'Where its money went (flows)' },
];

/** The investigator reports under the canvas: a table whose rows put their path on the canvas. */
export function ReportsPanel() {
  const ctx = useViewer();
  const open = useViewerStore((s) => s.reports.open);
  const tab = useViewerStore((s) => s.reports.tab);
  if (!open) return null;
  // Arrow keys move between the tabs, as in every tab list.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    const next = TABS[(TABS.findIndex((t) => t.tab === tab) + (event.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length]!;
    openReports(ctx, true, next.tab);
    document.getElementById(`report-tab-${next.tab}`)?.focus();
  };
  return (
    <section className="reports-panel" aria-label="Reports">
      <header className="reports-header">
        <h2>Reports</h2>
        <div role="tablist" aria-label="Report" onKeyDown={onKeyDown}>
          {TABS.map((t) => (
            <button key={t.tab} id={`report-tab-${t.tab}`} type="button" role="tab" className="tab" aria-selected={tab === t.tab} aria-controls="report-body" tabIndex={tab === t.tab ? 0 : -1} onClick={() => openReports(ctx, true, t.tab)}>
              {t.label}
            </button>
          ))}
        </div>
        <button type="button" className="small close" onClick={() => openReports(ctx, false)} aria-keyshortcuts="r">
          Close <kbd>r</kbd>
        </button>
      </header>
      <div id="report-body" role="tabpanel" aria-labelledby={`report-tab-${tab}`} className="reports-body">
        {tab === 'payers' ? <PayersReportView /> : <FlowsReportView />}
      </div>
    </section>
  );
}
