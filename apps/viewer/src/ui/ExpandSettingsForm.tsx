import { useViewerStore } from '../state/viewer-store.js';

/** Hops, minimum value and neighbours per node for the N-hop expansions (B and F). */
export function ExpandSettingsForm() {
  const expand = useViewerStore((s) => s.expand);
  const set = (patch: Partial<typeof expand>): void => useViewerStore.setState((s) => ({ expand: { ...s.expand, ...patch } }));
  return (
    <fieldset className="expand-settings">
      <legend>N-hop expansion</legend>
      <label>
        <span>Hops</span>
        <input type="number" min={1} max={6} value={expand.hops} onChange={(e) => set({ hops: Math.min(6, Math.max(1, Number(e.target.value) || 1)) })} />
      </label>
      <label>
        <span>Min BTC</span>
        <input className="narrow" inputMode="decimal" value={expand.minValueText} onChange={(e) => set({ minValueText: e.target.value })} placeholder="0" />
      </label>
      <label>
        <span>Per node</span>
        <input type="number" min={1} max={2000} value={expand.perNodeLimit} onChange={(e) => set({ perNodeLimit: Math.min(2000, Math.max(1, Number(e.target.value) || 25)) })} />
      </label>
    </fieldset>
  );
}
