import { useEffect, useState, type FormEvent } from 'react';
import { formatBtcCompact, parseBtc } from '../graph/btc-amount.js';
import { filtersActive } from '../graph/graph-filters.js';
import { endOfUtcDay, startOfUtcDay, utcDayOf } from '../graph/utc-day.js';
import { setFilters } from '../state/graph-actions.js';
import { useViewerStore } from '../state/viewer-store.js';
import { useDisplayGraph } from './use-display-graph.js';
import { useViewer } from './viewer-context-react.js';

/** Time range (UTC days) and minimum value: the canvas keeps its layout and only thins out. */
export function FilterBar() {
  const ctx = useViewer();
  const filters = useViewerStore((s) => s.filters);
  const display = useDisplayGraph();
  const [from, setFrom] = useState(utcDayOf(filters.fromTime));
  const [to, setTo] = useState(utcDayOf(filters.toTime));
  const [min, setMin] = useState(filters.minValue === null ? '' : formatBtcCompact(filters.minValue));
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setFrom(utcDayOf(filters.fromTime));
    setTo(utcDayOf(filters.toTime));
    setMin(filters.minValue === null ? '' : formatBtcCompact(filters.minValue));
  }, [filters]);

  const apply = (event?: FormEvent, next = { from, to, min }): void => {
    event?.preventDefault();
    try {
      const fromTime = startOfUtcDay(next.from);
      const toTime = endOfUtcDay(next.to);
      if (fromTime !== null && toTime !== null && fromTime > toTime) throw new Error('the range ends before it starts');
      const minValue = next.min.trim() === '' ? null : parseBtc(next.min);
      setError(null);
      setFilters(ctx, { fromTime, toTime, minValue });
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  };

  const out = display.filteredOut;
  return (
    <form className="filters" onSubmit={apply} aria-label="Filters">
      <label>
        <span>From (UTC)</span>
        <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} onBlur={() => apply()} />
      </label>
      <label>
        <span>To (UTC)</span>
        <input type="date" value={to} onChange={(e) => setTo(e.target.value)} onBlur={() => apply()} />
      </label>
      <label>
        <span>Min BTC</span>
        <input className="narrow" inputMode="decimal" value={min} onChange={(e) => setMin(e.target.value)} onBlur={() => apply()} placeholder="0" />
      </label>
      <button type="submit">Apply</button>
      {filtersActive(filters) && (
        <button
          type="button"
          onClick={() => {
            setFrom('');
            setTo('');
            setMin('');
            apply(undefined, { from: '', to: '', min: '' });
          }}
        >
          Clear filters
        </button>
      )}
      {error !== null ? (
        <span className="error" role="alert">
          {error}
        </span>
      ) : (
        filtersActive(filters) && (
          <span className="hint" role="status">
            {out.nodes} nodes, {out.edges} edges filtered out
          </span>
        )
      )}
    </form>
  );
}
