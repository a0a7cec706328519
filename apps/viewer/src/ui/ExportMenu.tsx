import { exportView, type ExportFormat } from '../state/export-actions.js';
import { Popover } from './Popover.js';
import { useViewer } from './viewer-context-react.js';

const FORMATS: readonly { format: ExportFormat; label: string; hint: string }[] = [
  { format: 'png', label: 'PNG image', hint: 'the current view, with legend' },
  { format: 'svg', label: 'SVG image', hint: 'the current view, vector' },
  { format: 'graphml', label: 'GraphML', hint: 'drawn nodes and edges (Gephi, yEd)' },
  { format: 'nodes.csv', label: 'Nodes CSV', hint: 'drawn nodes' },
  { format: 'edges.csv', label: 'Edges CSV', hint: 'drawn edges, sats and BTC' },
];

export function ExportMenu() {
  const ctx = useViewer();
  return (
    <Popover label="Export" title="Export the view">
      {(close) => (
        <ul className="export-menu">
          {FORMATS.map(({ format, label, hint }) => (
            <li key={format}>
              <button
                type="button"
                onClick={() => {
                  close();
                  void exportView(ctx, format);
                }}
              >
                {label}
              </button>
              <span className="hint">{hint}</span>
            </li>
          ))}
        </ul>
      )}
    </Popover>
  );
}
