import type { ReactNode } from 'react';
import type { Loadable } from '../state/report-state.js';

/** Loading, failure and nothing-yet states of a report, the same for both reports. */
export function ReportState<T>({ state, idle, loading, onRetry, children }: { state: Loadable<T>; idle: ReactNode; loading: string; onRetry: () => void; children: (data: T) => ReactNode }) {
  switch (state.status) {
    case 'idle':
      return <div className="report-empty">{idle}</div>;
    case 'loading':
      return (
        <p role="status" className="report-loading">
          <span className="spinner" aria-hidden="true" /> {loading} (cancel it in the status bar below)
        </p>
      );
    case 'error':
      return (
        <div role="alert" className="report-error">
          <p>{state.message}</p>
          <button type="button" onClick={onRetry}>
            Try again
          </button>
        </div>
      );
    case 'ready':
      return <>{children(state.data)}</>;
  }
}
