/** What the reports panel holds: which report is shown, each report's loading state, the row on the canvas. */
import type { FlowModelNameJson, FlowReportJson, PayerReportJson } from '../api/report-wire-types.js';

export type Loadable<T> =
  | { readonly status: 'idle' }
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly message: string }
  | { readonly status: 'ready'; readonly data: T };

export type ReportTab = 'payers' | 'flows';

export interface ReportsState {
  readonly open: boolean;
  readonly tab: ReportTab;
  readonly payers: Loadable<PayerReportJson>;
  readonly flows: Loadable<FlowReportJson>;
  /** The flow model whose results the flows table shows. */
  readonly flowModel: FlowModelNameJson;
  /** The row whose path is on the canvas. */
  readonly activeRow: string | null;
}

export const IDLE = { status: 'idle' } as const;

export const initialReportsState = (): ReportsState => ({ open: false, tab: 'payers', payers: IDLE, flows: IDLE, flowModel: 'haircut', activeRow: null });

/** Another case: its reports are not this one's; the panel stays where it was. */
export function reportsForNewCase(previous: ReportsState): ReportsState {
  return { ...initialReportsState(), open: previous.open, tab: previous.tab, flowModel: previous.flowModel };
}
