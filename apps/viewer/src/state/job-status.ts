/** Where a case's job stands, in words, from its checkpoint (whose shape each job kind chooses). */
import type { JobJson } from '../api/wire-types.js';

export function jobStatus(job: JobJson): string {
  const state = job.state as Record<string, unknown> | null;
  if (state === null || typeof state !== 'object') return 'recorded';
  if (job.kind === 'import' && typeof state['accepted'] === 'number') {
    const rejected = typeof state['rejectedTotal'] === 'number' ? state['rejectedTotal'] : 0;
    return `${state['accepted'].toLocaleString('en-US')} seeds accepted, ${rejected.toLocaleString('en-US')} lines rejected`;
  }
  const status = typeof state['status'] === 'string' ? state['status'] : typeof state['phase'] === 'string' ? state['phase'] : 'recorded';
  const error = typeof state['error'] === 'string' ? `: ${state['error']}` : '';
  return `${status}${error}`;
}
