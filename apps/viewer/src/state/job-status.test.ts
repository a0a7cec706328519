import { describe, expect, it } from 'vitest';
import type { JobJson } from '../api/wire-types.js';
import { jobStatus } from './job-status.js';

const job = (kind: string, state: unknown): JobJson => ({ jobId: `${kind}:c`, caseId: 'c', kind, state, updatedAt: '2026-01-01T00:00:00Z' });

describe('job status', () => {
  it.each([
    ['an import with rejected lines', job('import', { accepted: 1200, rejectedTotal: 7 }), '1,200 seeds accepted, 7 lines rejected'],
    ['a finished ingest', job('ingest', { status: 'done', phase: 'done', error: null }), 'done'],
    ['an ingest stopped by an error', job('ingest', { status: 'failed', error: 'source unreachable' }), 'failed: source unreachable'],
    ['a job that reports only its phase', job('ingest', { phase: 'hops-back' }), 'hops-back'],
    ['a checkpoint of unknown shape', job('cluster', 42), 'recorded'],
  ])('reads %s', (_name, input, expected) => {
    expect(jobStatus(input)).toBe(expected);
  });
});
