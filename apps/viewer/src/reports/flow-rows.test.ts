import { describe, expect, it } from 'vitest';
import type { FlowModelNameJson, FlowReportJson } from '../api/report-wire-types.js';
import flowsFixture from './fixtures/flows-report.json' with { type: 'json' };
import { destinationRows, reconcile } from './flow-rows.js';
import { computedAtText, parametersText } from './report-format.js';

const flows = flowsFixture as unknown as FlowReportJson;
const models = flows.results.map((r) => r.model.name);

describe('flows report rows', () => {
  it.each(models)('lists the destinations under %s with the path from the origin to each', (model) => {
    const result = flows.results.find((r) => r.model.name === model)!;
    const rows = destinationRows(flows, model);
    expect(rows).toHaveLength(result.destinations.length);
    rows.forEach((row, i) => {
      const d = result.destinations[i]!;
      expect(row.received).toBe(BigInt(d.received));
      expect(row.unspent).toBe(BigInt(d.unspent));
      expect(row.path?.steps).toEqual(d.path);
      expect(row.path?.focus).toEqual(d.entity.node);
      expect(row.path?.destination).toEqual(d.entity.node);
      expect(row.path?.source).toEqual(flows.origin.entities.map((e) => e.node));
      expect(row.path?.description).toContain(`under ${model}`);
    });
  });

  it('has no rows for a model the report did not compute', () => {
    const onlyPoison = { ...flows, results: flows.results.filter((r) => r.model.name === 'poison') };
    expect(destinationRows(onlyPoison, 'fifo' satisfies FlowModelNameJson)).toEqual([]);
  });

  it.each(models)('reconciles %s to the satoshi, recomputed from the figures shown', (model) => {
    const rec = flows.results.find((r) => r.model.name === model)!.reconciliation;
    const check = reconcile(rec);
    expect(check.balanced).toBe(true);
    expect(check.disagrees).toBe(false);
    expect(check.incomingTotal).toBe(BigInt(rec.received) + BigInt(rec.returned) + BigInt(rec.contaminated));
    expect(check.outgoingTotal).toBe(check.incomingTotal);
  });

  it('catches a report whose figures do not add up even though it says they do', () => {
    const rec = flows.results[0]!.reconciliation;
    const check = reconcile({ ...rec, fees: String(BigInt(rec.fees) + 1n) });
    expect(check.balanced).toBe(false);
    expect(check.disagrees).toBe(true);
    expect(check.outgoingTotal - check.incomingTotal).toBe(1n);
  });

  it('shows the chain tip and the parameters as the report records them', () => {
    const at = flows.computedAt;
    expect(computedAtText(at)).toContain(`block ${at.height!.toLocaleString('en-US')} (${at.hash!.slice(0, 8)}`);
    const text = parametersText(flows.parameters);
    for (const [name, value] of Object.entries(flows.parameters)) expect(text).toContain(`${name} ${Array.isArray(value) ? (value.length === 0 ? '(none)' : value.join(', ')) : String(value)}`);
    expect(computedAtText({ height: null, hash: null, time: null, basis: 'none' })).toBe('no confirmed block was read');
  });
});
