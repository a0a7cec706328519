import type { TagJson } from '../api/wire-types.js';

/** Tags with their sources: courts and investigators ask where each attribution came from. */
export function TagTable({ tags, caption }: { tags: readonly TagJson[]; caption: string }) {
  if (tags.length === 0) return <p className="hint">{caption}: none.</p>;
  return (
    <table className="tags">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Label</th>
          <th scope="col">Category</th>
          <th scope="col">Source</th>
          <th scope="col">Confidence</th>
        </tr>
      </thead>
      <tbody>
        {tags.map((tag, i) => (
          <tr key={`${tag.address}|${tag.label}|${tag.source}|${i}`} data-testid="tag-row">
            <td>
              {tag.label}
              <div className="hint mono" title={tag.address}>
                {tag.address}
              </div>
            </td>
            <td>{tag.category ?? '—'}</td>
            <td>
              {tag.source}
              {tag.lastmod !== null && tag.lastmod !== undefined && <div className="hint">as of {tag.lastmod}</div>}
              {tag.url !== null && tag.url !== undefined && /^https?:\/\//.test(tag.url) ? (
                <div>
                  <a href={tag.url} target="_blank" rel="noreferrer noopener">
                    link
                  </a>
                </div>
              ) : (
                tag.url !== null && tag.url !== undefined && <div className="hint">{tag.url}</div>
              )}
            </td>
            <td>{tag.confidence ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
