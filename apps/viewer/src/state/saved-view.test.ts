import { describe, expect, it } from 'vitest';
import { flowsOfNeighbours } from '../graph/flow-facts.js';
import { GraphModel } from '../graph/graph-model.js';
import { projectGraph } from '../graph/graph-projection.js';
import { restoreView, SavedViewError, serialiseView, VIEW_FORMAT, type ViewSnapshot } from './saved-view.js';

const context = { seeds: new Set(['1Seed']), siteEntities: new Set(['Esite']) };

function investigated(): ViewSnapshot {
  const model = new GraphModel();
  model.addNode({ kind: 'address', id: '1Seed' }, 'seed');
  model.addFlows(
    flowsOfNeighbours({
      subject: { kind: 'address', id: '1Seed' },
      neighbours: [{ node: { kind: 'tx', id: 'aa'.repeat(32) }, direction: 'in', value: '9007199254740993', txCount: 1, firstTime: 1_690_236_852, lastTime: 1_690_236_852 }],
      truncated: false,
    }),
    'expansion',
    'address:1Seed',
  );
  model.addFlows(
    flowsOfNeighbours({
      subject: { kind: 'tx', id: 'aa'.repeat(32) },
      neighbours: [
        { node: { kind: 'address', id: '1PayerA' }, direction: 'in', value: '600000', txCount: 1, firstTime: 1, lastTime: 1 },
        { node: { kind: 'address', id: '1PayerB' }, direction: 'in', value: '300000', txCount: 1, firstTime: 1, lastTime: 1 },
        { node: { kind: 'address', id: '1Unloaded' }, direction: 'in', value: '1', txCount: 1, firstTime: 1, lastTime: 1 },
      ],
      truncated: false,
    }),
    'expansion',
    `tx:${'aa'.repeat(32)}`,
  );
  model.setDetails('address:1PayerA', { entityId: 'Ex', label: 'northwind exchange', tagCategory: 'exchange' });
  model.setDetails('address:1PayerB', { entityId: 'Ex', label: 'northwind exchange', tagCategory: 'exchange' });
  model.setDetails('address:1Seed', { entityId: null });
  model.collapse('Ex');
  model.setDetails('entity:Ex', { label: 'northwind exchange', tagCategory: 'exchange', size: 40 });
  model.setPinned('address:1Seed', true);
  model.markExpanded('address:1Seed', 'in');
  model.setHidden(['address:1Unloaded'], true);
  model.addMembers('Esite', []);
  const positions = new Map<string, [number, number]>([
    ['address:1Seed', [0.5, -12.25]],
    [`tx:${'aa'.repeat(32)}`, [40.125, 3]],
    ['entity:Ex', [90, 90]],
  ]);
  return {
    model,
    positions,
    filters: { fromTime: 1_690_000_000, toTime: null, minValue: 10_000n },
    transform: { x: 120.5, y: -40, k: 1.75 },
    selection: ['entity:Ex', 'address:1Seed'],
    path: { nodes: ['address:1Seed'], edges: [] },
  };
}

function drawn(snapshot: ViewSnapshot) {
  const display = projectGraph(snapshot.model, snapshot.filters, context);
  return {
    nodes: display.nodes.map((n) => [n.key, n.category, n.collapsedMembers, n.node.pinned, n.node.label]),
    edges: display.edges.map((e) => [e.key, e.value, e.txCount]),
  };
}

describe('saved views', () => {
  it('reload draws exactly what was saved, through JSON', () => {
    const original = investigated();
    const stored: unknown = JSON.parse(JSON.stringify(serialiseView(original)));
    const restored = restoreView(stored, 'first look');
    expect(drawn(restored)).toEqual(drawn(original));
    expect([...restored.positions]).toEqual([...original.positions]);
    expect(restored.transform).toEqual(original.transform);
    expect(restored.filters).toEqual(original.filters);
    expect(restored.selection).toEqual(original.selection);
    expect(restored.path).toEqual(original.path);
    expect([...restored.model.collapsed]).toEqual(['Ex']);
  });

  it('keeps sums past 2^53 satoshis exact', () => {
    const restored = restoreView(JSON.parse(JSON.stringify(serialiseView(investigated()))), 'big');
    expect([...restored.model.edges.values()].map((e) => e.value)).toContain(9_007_199_254_740_993n);
  });

  it('remembers which addresses still need their entity looked up', () => {
    const restored = restoreView(JSON.parse(JSON.stringify(serialiseView(investigated()))), 'v');
    expect(restored.model.node('address:1Unloaded')?.entityId).toBeUndefined();
    expect(restored.model.node('address:1Seed')?.entityId).toBeNull();
    expect(restored.model.node('address:1PayerA')?.entityId).toBe('Ex');
  });

  it.each([
    ['not a view', { some: 'thing' }, 'not a chaintrail viewer view'],
    ['a newer format', { format: VIEW_FORMAT, version: 2 }, 'format version 2'],
    ['a broken node', { ...serialiseView(investigated()), nodes: [['address', '', 0, 0, 0, 'seed', null, null, null, null, null, null]] }, 'nodes[0] has no kind and id'],
    ['an edge to nowhere', { ...serialiseView(investigated()), edges: [[0, 99, 0, '1', 1, null, null]] }, 'edges[0] joins nodes that are not in the view'],
    ['a float amount', { ...serialiseView(investigated()), edges: [[0, 1, 0, '0.5', 1, null, null]] }, 'edges[0] has no value in satoshis'],
    ['no zoom', { ...serialiseView(investigated()), transform: { x: 0, y: 0, k: 0 } }, 'the zoom is missing'],
  ])('refuses %s, naming the problem and the view', (_name, state, message) => {
    expect(() => restoreView(state, 'old view')).toThrow(SavedViewError);
    expect(() => restoreView(state, 'old view')).toThrow(message);
    expect(() => restoreView(state, 'old view')).toThrow('"old view"');
  });
});
