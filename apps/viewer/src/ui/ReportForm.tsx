import type { ReactNode } from 'react';

/** A report's parameters and its Run button; Enter in any field runs it too. */
export function ReportForm({ hops, onHops, hopsLabel, running, runLabel, onRun, children }: { hops: number; onHops: (hops: number) => void; hopsLabel: string; running: boolean; runLabel: string; onRun: () => void; children?: ReactNode }) {
  return (
    <form
      className="report-form"
      onSubmit={(e) => {
        e.preventDefault();
        onRun();
      }}
    >
      {children}
      <label>
        <span>{hopsLabel}</span>
        <input type="number" min={1} max={50} value={hops} onChange={(e) => onHops(Math.min(50, Math.max(1, Number(e.target.value) || 8)))} />
      </label>
      <button type="submit" disabled={running}>
        {runLabel}
      </button>
    </form>
  );
}
