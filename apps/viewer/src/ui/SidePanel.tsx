import { CATEGORY_LABELS } from '../graph/node-category.js';
import { refOfKey } from '../graph/node-key.js';
import { CATEGORY_COLOURS, shortLabel } from '../render/graph-style.js';
import { clearPath, highlightPath } from '../state/graph-actions.js';
import { useViewerStore } from '../state/viewer-store.js';
import { CaseOverview } from './CaseOverview.js';
import { ExpandSettingsForm } from './ExpandSettingsForm.js';
import { actionsFor } from './node-actions.js';
import { NodeDetails } from './NodeDetails.js';
import { NoteEditor } from './NoteEditor.js';
import { useDisplayGraph } from './use-display-graph.js';
import { useViewer } from './viewer-context-react.js';

const KIND_NAMES = { address: 'Address', tx: 'Transaction', entity: 'Entity' } as const;

/** The selected node (or the case when nothing is selected), its actions, the path between two. */
export function SidePanel() {
  const ctx = useViewer();
  const panel = useViewerStore((s) => s.panel);
  const selection = useViewerStore((s) => s.selection);
  const path = useViewerStore((s) => s.path);
  const model = useViewerStore((s) => s.model);
  useViewerStore((s) => s.graphVersion);
  const display = useDisplayGraph();
  if (panel === null) {
    return (
      <aside className="side-panel" aria-label="Case">
        <CaseOverview />
      </aside>
    );
  }
  const ref = refOfKey(panel.key);
  const drawn = display.nodes[display.index.get(panel.key) ?? -1];
  const node = model.node(panel.key);
  const category = drawn?.category ?? 'unknown';
  return (
    <aside className="side-panel" aria-label="Selected node">
      <header className="node-header">
        <p className="kind">
          {KIND_NAMES[ref.kind]}
          <span className="category-badge" data-testid="category-badge">
            <span className="dot" style={{ background: CATEGORY_COLOURS[category] }} aria-hidden="true" />
            {CATEGORY_LABELS[category]}
          </span>
        </p>
        <h2 className="mono node-id">{node?.label !== null && node?.label !== undefined ? shortLabel(ref.kind, ref.id, node.label) : ref.id}</h2>
        {node?.label !== null && node?.label !== undefined && <p className="mono hint">{ref.id}</p>}
        <div className="row">
          <button type="button" className="small" onClick={() => void navigator.clipboard?.writeText(ref.id)}>
            Copy id
          </button>
          <button type="button" className="small" onClick={() => ctx.canvas.centreOn(panel.key)}>
            Centre
          </button>
          {drawn === undefined && <span className="hint">(not drawn: hidden or filtered out)</span>}
          {drawn !== undefined && drawn.collapsedMembers > 0 && <span className="hint">{drawn.collapsedMembers} address{drawn.collapsedMembers === 1 ? '' : 'es'} drawn as this entity</span>}
        </div>
      </header>
      <section aria-label="Actions" className="actions">
        {actionsFor(model, panel.key).map((action) => (
          <button key={action.id} type="button" onClick={() => void action.run(ctx, panel.key)} aria-keyshortcuts={action.key}>
            {action.label} <kbd>{action.key}</kbd>
          </button>
        ))}
        <ExpandSettingsForm />
      </section>
      {selection.length === 2 && (
        <section className="path-section" aria-labelledby="path-title">
          <h3 id="path-title">Path</h3>
          <p className="hint">
            Between {shortLabel(refOfKey(selection[0]!).kind, refOfKey(selection[0]!).id, model.node(selection[0]!)?.label ?? null)} and{' '}
            {shortLabel(refOfKey(selection[1]!).kind, refOfKey(selection[1]!).id, model.node(selection[1]!)?.label ?? null)}
          </p>
          <button type="button" onClick={() => void highlightPath(ctx)} aria-keyshortcuts="l">
            Highlight the money path <kbd>l</kbd>
          </button>
        </section>
      )}
      {path !== null && (
        <p className="path-note" role="status">
          Highlighted: {path.description}.{' '}
          <button type="button" className="link" onClick={() => clearPath(ctx)}>
            Clear path
          </button>
        </p>
      )}
      <NodeDetails panel={panel} />
      <NoteEditor nodeKey={panel.key} />
    </aside>
  );
}
