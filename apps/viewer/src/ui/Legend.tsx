import { useState } from 'react';
import { CATEGORIES, CATEGORY_LABELS } from '../graph/node-category.js';
import { CATEGORY_COLOURS, PATH_COLOUR } from '../render/graph-style.js';
import { useViewerStore } from '../state/viewer-store.js';

/** What shapes, colours, widths and arrows mean; folded while the reports panel shortens the canvas, unless asked for. */
export function Legend() {
  const reportsOpen = useViewerStore((s) => s.reports.open);
  const [chosen, setOpen] = useState<boolean | null>(null);
  const open = chosen ?? !reportsOpen;
  return (
    <section className={`legend${open ? '' : ' closed'}`} aria-label="Legend">
      <button type="button" className="small legend-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
        Legend {open ? '▾' : '▸'}
      </button>
      {open && (
        <>
          <ul className="legend-categories">
            {CATEGORIES.map((category) => (
              <li key={category}>
                <span className="dot" style={{ background: CATEGORY_COLOURS[category] }} aria-hidden="true" />
                {CATEGORY_LABELS[category]}
              </li>
            ))}
          </ul>
          <ul className="legend-shapes">
            <li>
              <svg width="14" height="14" aria-hidden="true">
                <circle cx="7" cy="7" r="5.5" fill="#8a8a8a" stroke="#222" />
              </svg>
              address
            </li>
            <li>
              <svg width="14" height="14" aria-hidden="true">
                <rect x="2" y="2" width="10" height="10" fill="#8a8a8a" stroke="#222" />
              </svg>
              transaction
            </li>
            <li>
              <svg width="14" height="14" aria-hidden="true">
                <polygon points="13,7 10,12.2 4,12.2 1,7 4,1.8 10,1.8" fill="#8a8a8a" stroke="#222" />
              </svg>
              entity (cluster)
            </li>
            <li className="wide">→ payment direction; thicker = more BTC; labels in BTC</li>
            <li>
              <span className="line" style={{ background: PATH_COLOUR }} aria-hidden="true" />
              highlighted path
            </li>
            <li>
              <span className="ring" aria-hidden="true" />
              your colour label; ▾ pinned
            </li>
          </ul>
        </>
      )}
    </section>
  );
}
