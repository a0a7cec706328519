import { useState } from 'react';
import { deleteView, openView, saveView } from '../state/view-actions.js';
import { useViewerStore } from '../state/viewer-store.js';
import { Popover } from './Popover.js';
import { useViewer } from './viewer-context-react.js';

/** Save the canvas as a named view; reopen a saved view exactly as it was. */
export function ViewsMenu() {
  const ctx = useViewer();
  const views = useViewerStore((s) => s.views);
  const current = useViewerStore((s) => s.currentView);
  const role = useViewerStore((s) => s.session?.role);
  const [name, setName] = useState('');
  const readOnly = role === 'viewer';
  return (
    <Popover label={current === null ? 'Views' : `View: ${current.name}`} title="Saved views">
      {(close) => (
        <div className="views-menu">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              const chosen = name.trim() || current?.name || '';
              if (chosen === '') return;
              void saveView(ctx, chosen, false).then(close);
              setName('');
            }}
          >
            <label htmlFor="view-name">Save the canvas as</label>
            <div className="row">
              <input id="view-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. payers via northwind" disabled={readOnly} maxLength={200} />
              <button type="submit" disabled={readOnly || (name.trim() === '' && current === null)}>
                Save new
              </button>
            </div>
            {current !== null && (
              <button type="button" disabled={readOnly} onClick={() => void saveView(ctx, current.name, true).then(close)}>
                Save changes to “{current.name}”
              </button>
            )}
            {readOnly && <p className="hint">Your token is read-only (viewer role): saving views needs an analyst token.</p>}
          </form>
          <h3>Saved views</h3>
          {views === null ? (
            <p role="status">Loading…</p>
          ) : views.length === 0 ? (
            <p className="hint">No saved view in this case yet.</p>
          ) : (
            <ul className="view-list">
              {views.map((view) => (
                <li key={view.id}>
                  <button
                    type="button"
                    className="link"
                    onClick={() => {
                      close();
                      void openView(ctx, view.id);
                    }}
                  >
                    {view.name}
                  </button>
                  <span className="hint">{new Date(view.updatedAt).toLocaleString()}</span>
                  <button type="button" className="small" disabled={readOnly} aria-label={`Delete view ${view.name}`} onClick={() => void deleteView(ctx, view.id)}>
                    Delete
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </Popover>
  );
}
