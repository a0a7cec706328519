import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { describeError, isAbort } from '../api/viewer-api-error.js';
import type { SearchResultJson } from '../api/wire-types.js';
import { addNodes, refOfSearchResult } from '../state/graph-actions.js';
import { useViewerStore } from '../state/viewer-store.js';
import { useViewer } from './viewer-context-react.js';

const KIND_NAMES: Record<SearchResultJson['kind'], string> = { address: 'address', tx: 'transaction', tag: 'tag', entity: 'entity' };

function resultText(result: SearchResultJson): { main: string; detail: string } {
  switch (result.kind) {
    case 'address':
      return { main: result.address, detail: '' };
    case 'tx':
      return { main: result.txid, detail: '' };
    case 'tag':
      return { main: result.label, detail: `${result.address} · ${result.category ?? 'no category'} · source ${result.source}` };
    case 'entity':
      return { main: result.label ?? result.entityId, detail: result.label === null ? '' : result.entityId };
  }
}

/** Search by address, txid, tag label or entity; a result goes onto the canvas. */
export function SearchBox() {
  const ctx = useViewer();
  const caseId = useViewerStore((s) => s.caseId);
  const [text, setText] = useState('');
  const [results, setResults] = useState<SearchResultJson[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const controller = useRef<AbortController | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const run = async (query: string): Promise<void> => {
    controller.current?.abort(new DOMException('newer search', 'AbortError'));
    const trimmed = query.trim();
    if (trimmed.length < 2) {
      setResults(null);
      setError(null);
      return;
    }
    const abort = new AbortController();
    controller.current = abort;
    setLoading(true);
    setError(null);
    try {
      const { results: found } = await ctx.client.search(trimmed, 50, { signal: abort.signal });
      setResults(found);
      setActive(0);
    } catch (caught) {
      if (!isAbort(caught)) {
        setError(describeError(caught));
        setResults(null);
      }
    } finally {
      if (controller.current === abort) setLoading(false);
    }
  };

  useEffect(() => {
    const timer = setTimeout(() => void run(text), 350);
    return () => clearTimeout(timer);
    // Searching again on each keystroke is what the debounce is for.
  }, [text]);

  useEffect(() => {
    const focus = (): void => input.current?.focus();
    window.addEventListener('chaintrail:focus-search', focus);
    return () => window.removeEventListener('chaintrail:focus-search', focus);
  }, []);

  const choose = (result: SearchResultJson): void => {
    addNodes(ctx, [refOfSearchResult(result)], 'search');
    setResults(null);
    setText('');
  };

  const onKey = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'Escape') {
      setResults(null);
      return;
    }
    if (results === null || results.length === 0) return;
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setActive((a) => Math.min(results.length - 1, a + 1));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((a) => Math.max(0, a - 1));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const chosen = results[active];
      if (chosen !== undefined) choose(chosen);
    }
  };

  const open = results !== null || error !== null;
  return (
    <div className="search">
      <label htmlFor="search-input" className="visually-hidden">
        Search by address, transaction id, tag label or entity
      </label>
      <input
        id="search-input"
        ref={input}
        type="search"
        disabled={caseId === null}
        placeholder="Search address, txid, tag or entity  ( / )"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKey}
        role="combobox"
        aria-expanded={open}
        aria-controls="search-results"
        aria-activedescendant={results !== null && results.length > 0 ? `search-result-${active}` : undefined}
        autoComplete="off"
        spellCheck={false}
      />
      {loading && <span className="search-spinner" role="status" aria-label="Searching" />}
      {open && (
        <div className="search-results" id="search-results" role="listbox" aria-label="Search results">
          {error !== null && <p className="error">Search failed: {error}</p>}
          {results !== null && results.length === 0 && <p className="hint">Nothing matches “{text.trim()}”. Addresses and txids match by their beginning, labels anywhere.</p>}
          {results?.map((result, i) => {
            const { main, detail } = resultText(result);
            return (
              <div
                key={`${result.kind}:${main}:${detail}`}
                id={`search-result-${i}`}
                role="option"
                aria-selected={i === active}
                className={`search-result${i === active ? ' active' : ''}`}
                onMouseDown={(e) => {
                  e.preventDefault();
                  choose(result);
                }}
                onMouseEnter={() => setActive(i)}
              >
                <span className={`kind-badge kind-${result.kind}`}>{KIND_NAMES[result.kind]}</span>
                <span className="result-main">{main}</span>
                {detail !== '' && <span className="result-detail">{detail}</span>}
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}
