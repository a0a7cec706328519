import { showHidden } from '../state/graph-actions.js';
import { dismissMessage, useViewerStore } from '../state/viewer-store.js';
import { useDisplayGraph } from './use-display-graph.js';
import { useViewer } from './viewer-context-react.js';

/** Running tasks (with Cancel), what is drawn, and messages that say what happened. */
export function StatusBar() {
  const ctx = useViewer();
  const tasks = useViewerStore((s) => s.tasks);
  const messages = useViewerStore((s) => s.messages);
  const display = useDisplayGraph();
  return (
    <footer className="status-bar">
      <div className="counts" aria-live="off">
        {display.nodes.length.toLocaleString('en-US')} nodes, {display.edges.length.toLocaleString('en-US')} edges drawn
        {display.hiddenNodes > 0 && (
          <>
            {' · '}
            <button type="button" className="link" onClick={() => showHidden(ctx)} aria-keyshortcuts="H">
              Show hidden ({display.hiddenNodes})
            </button>
          </>
        )}
      </div>
      <ul className="tasks" aria-label="Running" role="status">
        {tasks.map((task) => (
          <li key={task.id}>
            <span className="spinner" aria-hidden="true" />
            {task.label}
            {task.progress !== null && <span className="hint"> ({task.progress})</span>}
            <button type="button" className="small" onClick={task.cancel}>
              Cancel
            </button>
          </li>
        ))}
      </ul>
      <div className="messages" aria-label="Messages">
        {messages.map((message) => (
          <div key={message.id} className={`message ${message.tone}`} role={message.tone === 'error' ? 'alert' : 'status'}>
            <span>{message.text}</span>
            <button type="button" className="small" aria-label="Dismiss" onClick={() => dismissMessage(useViewerStore, message.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </footer>
  );
}
