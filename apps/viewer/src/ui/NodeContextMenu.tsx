import { useEffect, useRef } from 'react';
import type { NodeKey } from '../graph/node-key.js';
import { useViewerStore } from '../state/viewer-store.js';
import { actionsFor } from './node-actions.js';
import { useViewer } from './viewer-context-react.js';

/** Right-click menu on a node: the node's actions with their keys. */
export function NodeContextMenu({ nodeKey, x, y, onClose }: { nodeKey: NodeKey; x: number; y: number; onClose: () => void }) {
  const ctx = useViewer();
  const model = useViewerStore((s) => s.model);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector('button')?.focus();
    const close = (event: MouseEvent | KeyboardEvent): void => {
      if (event instanceof KeyboardEvent ? event.key === 'Escape' : !ref.current?.contains(event.target as Node)) onClose();
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [onClose]);
  return (
    <div className="context-menu" role="menu" ref={ref} style={{ left: x, top: y }} aria-label="Node actions">
      {actionsFor(model, nodeKey).map((action) => (
        <button
          key={action.id}
          role="menuitem"
          type="button"
          onClick={() => {
            onClose();
            void action.run(ctx, nodeKey);
          }}
        >
          <span>{action.label}</span>
          <kbd>{action.key}</kbd>
        </button>
      ))}
    </div>
  );
}
