import { useEffect, useRef } from 'react';
import { useViewerStore } from '../state/viewer-store.js';
import { NODE_ACTIONS } from './node-actions.js';

const GENERAL: readonly [string, string][] = [
  ['/', 'Search'],
  ['Shift + click', 'Select a second node (for a path)'],
  ['] and [', 'Select the next or previous node (without a mouse)'],
  ['l', 'Highlight the money path between the two selected nodes'],
  ['H', 'Show hidden nodes again'],
  ['r', 'Open or close the reports (payers, flows); Enter on a row puts its path on the canvas'],
  ['z', 'Fit the graph into view'],
  ['Escape', 'Clear the selection'],
  ['?', 'This help'],
];

export function HelpDialog() {
  const open = useViewerStore((s) => s.helpOpen);
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className="help" aria-labelledby="help-title" onClose={() => useViewerStore.setState({ helpOpen: false })}>
      <h2 id="help-title">Keyboard shortcuts</h2>
      <p className="hint">On the selected node (click it; right-click for a menu):</p>
      <table>
        <tbody>
          {NODE_ACTIONS.map((action) => (
            <tr key={action.id}>
              <td>
                <kbd>{action.key}</kbd>
              </td>
              <td>{action.label}</td>
            </tr>
          ))}
          {GENERAL.map(([key, what]) => (
            <tr key={key}>
              <td>
                <kbd>{key}</kbd>
              </td>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">Drag a node to move it, drag the background to pan, scroll to zoom.</p>
      <form method="dialog">
        <button type="submit">Close</button>
      </form>
    </dialog>
  );
}
