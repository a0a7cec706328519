import { openReports } from '../state/report-actions.js';
import { signOut } from '../state/session-actions.js';
import type { ViewerContext } from '../state/viewer-context.js';
import { useViewerStore } from '../state/viewer-store.js';
import { CasePicker } from './CasePicker.js';
import { EvidenceMenu } from './EvidenceMenu.js';
import { ExportMenu } from './ExportMenu.js';
import { FilterBar } from './FilterBar.js';
import { GraphCanvas } from './GraphCanvas.js';
import { HelpDialog } from './HelpDialog.js';
import { Legend } from './Legend.js';
import { ReportsPanel } from './ReportsPanel.js';
import { SearchBox } from './SearchBox.js';
import { SidePanel } from './SidePanel.js';
import { StatusBar } from './StatusBar.js';
import { useShortcuts } from './use-shortcuts.js';
import { ViewerContextReact } from './viewer-context-react.js';
import { ViewsMenu } from './ViewsMenu.js';

/** The signed-in viewer: bar, canvas, side panel, status. */
export function Workspace({ ctx }: { ctx: ViewerContext }) {
  useShortcuts(ctx);
  const session = useViewerStore((s) => s.session);
  const caseId = useViewerStore((s) => s.caseId);
  const reportsOpen = useViewerStore((s) => s.reports.open);
  return (
    <ViewerContextReact.Provider value={ctx}>
      <div className="workspace">
        <header className="top-bar">
          <h1 className="brand">chaintrail</h1>
          <CasePicker />
          {caseId !== null && (
            <>
              <SearchBox />
              <ViewsMenu />
              <ExportMenu />
              <EvidenceMenu />
              <button type="button" aria-pressed={reportsOpen} onClick={() => openReports(ctx, !reportsOpen)} aria-keyshortcuts="r">
                Reports
              </button>
            </>
          )}
          <div className="session">
            <span className="hint" title={`token ${session?.tokenId ?? ''}`}>
              {session?.label} ({session?.role})
            </span>
            <button type="button" className="small" onClick={() => useViewerStore.setState({ helpOpen: true })} aria-keyshortcuts="?">
              Help
            </button>
            <button type="button" className="small" onClick={() => signOut(ctx, sessionStorage)}>
              Sign out
            </button>
          </div>
        </header>
        {caseId !== null && <FilterBar />}
        <main className="main">
          <GraphCanvas />
          <Legend />
        </main>
        {caseId !== null && <ReportsPanel />}
        <SidePanel />
        <StatusBar />
        <HelpDialog />
      </div>
    </ViewerContextReact.Provider>
  );
}
