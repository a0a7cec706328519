import { useEffect, useState } from 'react';
import { ANNOTATION_COLOURS, type AnnotationColour } from '../api/wire-types.js';
import type { NodeKey } from '../graph/node-key.js';
import { ANNOTATION_COLOUR_VALUES } from '../render/graph-style.js';
import { saveAnnotation } from '../state/annotation-actions.js';
import { useViewerStore } from '../state/viewer-store.js';
import { useViewer } from './viewer-context-react.js';

/** The node's note and colour label, shared with everyone on the case. */
export function NoteEditor({ nodeKey }: { nodeKey: NodeKey }) {
  const ctx = useViewer();
  const existing = useViewerStore((s) => s.annotations.get(nodeKey)?.at(-1));
  const readOnly = useViewerStore((s) => s.session?.role === 'viewer');
  const [text, setText] = useState(existing?.text ?? '');
  const [colour, setColour] = useState<AnnotationColour | null>(existing?.colour ?? null);
  useEffect(() => {
    setText(existing?.text ?? '');
    setColour(existing?.colour ?? null);
  }, [existing, nodeKey]);
  const changed = text !== (existing?.text ?? '') || colour !== (existing?.colour ?? null);
  return (
    <form
      className="note"
      onSubmit={(e) => {
        e.preventDefault();
        void saveAnnotation(ctx, nodeKey, text, colour);
      }}
    >
      <label htmlFor="note-text">Note</label>
      <textarea id="note-text" rows={3} value={text} onChange={(e) => setText(e.target.value)} disabled={readOnly} maxLength={10_000} placeholder="What you found, for the case file" />
      <fieldset className="colours" disabled={readOnly}>
        <legend>Colour label</legend>
        <label className="swatch">
          <input type="radio" name="colour" checked={colour === null} onChange={() => setColour(null)} />
          none
        </label>
        {ANNOTATION_COLOURS.map((c) => (
          <label key={c} className="swatch" title={c}>
            <input type="radio" name="colour" checked={colour === c} onChange={() => setColour(c)} />
            <span className="dot" style={{ background: ANNOTATION_COLOUR_VALUES[c] }} aria-hidden="true" />
            {c}
          </label>
        ))}
      </fieldset>
      <button type="submit" disabled={readOnly || !changed}>
        Save note
      </button>
      {existing?.author !== null && existing?.author !== undefined && (
        <p className="hint">
          Last written by {existing.author}, {new Date(existing.updatedAt).toLocaleString()}
        </p>
      )}
      {readOnly && <p className="hint">Your token is read-only (viewer role): notes need an analyst token.</p>}
    </form>
  );
}
