import { openCase } from '../state/session-actions.js';
import { useViewerStore } from '../state/viewer-store.js';
import { useViewer } from './viewer-context-react.js';

export function CasePicker() {
  const ctx = useViewer();
  const cases = useViewerStore((s) => s.cases);
  const caseId = useViewerStore((s) => s.caseId);
  const error = useViewerStore((s) => s.casesError);
  if (error !== null) return <span className="error">Cases could not be listed: {error}</span>;
  if (cases === null) return <span role="status">Loading cases…</span>;
  if (cases.length === 0) return <span className="hint">No case in this store yet (chaintrail case create NAME).</span>;
  return (
    <label className="case-picker">
      <span>Case</span>
      <select value={caseId ?? ''} onChange={(e) => void openCase(ctx, e.target.value)}>
        {caseId === null && <option value="">Choose a case…</option>}
        {cases.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name} ({c.seedCount.toLocaleString('en-US')} seeds)
          </option>
        ))}
      </select>
    </label>
  );
}
