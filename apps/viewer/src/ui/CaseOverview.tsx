import { addNodes } from '../state/graph-actions.js';
import { jobStatus } from '../state/job-status.js';
import { loadMoreSeeds } from '../state/session-actions.js';
import { useViewerStore } from '../state/viewer-store.js';
import { useViewer } from './viewer-context-react.js';

const SEEDS_LISTED = 200;

/** With nothing selected: the case, its seized addresses and where its jobs stand. */
export function CaseOverview() {
  const ctx = useViewer();
  const caseId = useViewerStore((s) => s.caseId);
  const found = useViewerStore((s) => s.cases?.find((c) => c.id === s.caseId));
  const seeds = useViewerStore((s) => s.seeds);
  const seedsNext = useViewerStore((s) => s.seedsNext);
  const seedsError = useViewerStore((s) => s.seedsError);
  const jobs = useViewerStore((s) => s.jobs);
  if (caseId === null || found === undefined) return <p className="hint">Choose a case at the top to begin.</p>;
  return (
    <section aria-labelledby="case-title">
      <h2 id="case-title">{found.name}</h2>
      {found.description !== null && <p>{found.description}</p>}
      <dl className="facts">
        <dt>Seized addresses (seeds)</dt>
        <dd>{found.seedCount.toLocaleString('en-US')}</dd>
        <dt>Created</dt>
        <dd>{new Date(found.createdAt).toLocaleString()}</dd>
      </dl>
      <h3>Status</h3>
      {jobs === null ? (
        <p role="status">Loading…</p>
      ) : jobs.length === 0 ? (
        <p className="hint">No job has run on this case yet (chaintrail ingest --case {found.name}).</p>
      ) : (
        <ul className="jobs">
          {jobs.map((job) => (
            <li key={job.jobId}>
              <strong>{job.kind}</strong>: {jobStatus(job)} <span className="hint">({new Date(job.updatedAt).toLocaleString()})</span>
            </li>
          ))}
        </ul>
      )}
      <h3>Seeds{seeds[0]?.file !== null && seeds[0]?.file !== undefined ? ` (from ${seeds[0].file})` : ''}</h3>
      {seedsError !== null && <p className="error">Seeds could not be loaded: {seedsError}</p>}
      {seeds.length > 0 && (
        <div className="row">
          <button type="button" onClick={() => addNodes(ctx, seeds.slice(0, 20).map((s) => ({ kind: 'address', id: s.address })), 'seed')}>
            Add the first {Math.min(20, seeds.length)} seeds to the canvas
          </button>
        </div>
      )}
      <ol className="seed-list">
        {seeds.slice(0, SEEDS_LISTED).map((seed) => (
          <li key={seed.address}>
            <button type="button" className="link mono" onClick={() => addNodes(ctx, [{ kind: 'address', id: seed.address }], 'seed')} title="Add to the canvas">
              {seed.address}
            </button>
            <span className="hint" title={seed.file ?? undefined}>
              {' '}
              line {seed.line}
            </span>
          </li>
        ))}
      </ol>
      {(seeds.length > SEEDS_LISTED || seedsNext !== null) && (
        <p className="hint">
          Showing {Math.min(SEEDS_LISTED, seeds.length)} of {found.seedCount.toLocaleString('en-US')}; search finds any of them.
          {seedsNext !== null && seeds.length <= SEEDS_LISTED && (
            <button type="button" className="link" onClick={() => void loadMoreSeeds(ctx)}>
              Load more
            </button>
          )}
        </p>
      )}
    </section>
  );
}
