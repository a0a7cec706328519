import type { ReportHeaderJson } from '../api/report-wire-types.js';
import { computedAtText, parametersText } from '../reports/report-format.js';
import { utcTime } from './display-format.js';

/** What a report records about itself: chain tip, parameters, methods, tag sources, clustering. */
export function ReportFacts({ report }: { report: ReportHeaderJson }) {
  return (
    <dl className="facts report-facts">
      <dt>Computed at</dt>
      <dd data-testid="report-tip">
        {computedAtText(report.computedAt)}
        {report.computedAt.time !== null && <span className="hint"> · {utcTime(report.computedAt.time)}</span>}
      </dd>
      <dt>Parameters</dt>
      <dd className="mono" data-testid="report-parameters">
        {parametersText(report.parameters)}
      </dd>
      <dt>Method{report.methods.length === 1 ? '' : 's'}</dt>
      <dd>
        {report.methods.map((m) => (
          <span key={m.name} title={`${m.rule}\nSource: ${m.source}`}>
            {m.name} v{m.version}{' '}
          </span>
        ))}
      </dd>
      <dt>Tag sources</dt>
      <dd>{report.tagSources.length === 0 ? 'none' : report.tagSources.join(', ')}</dd>
      <dt>Clustering</dt>
      <dd>
        {report.clustering.heuristics === null ? 'not recorded' : report.clustering.heuristics.join(', ')}
        {report.clustering.coinjoinRulesMet.length > 0 && <span className="hint"> · CoinJoin rules met: {report.clustering.coinjoinRulesMet.join(', ')}</span>}
      </dd>
      <dt>Generator</dt>
      <dd className="hint">{report.generator}</dd>
    </dl>
  );
}
