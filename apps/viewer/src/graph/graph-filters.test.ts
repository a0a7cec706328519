import { describe, expect, it } from 'vitest';
import { flowsOfNeighbours } from './flow-facts.js';
import { filtersActive, NO_FILTERS, spanInRange, type GraphFilters } from './graph-filters.js';
import { GraphModel } from './graph-model.js';
import { projectGraph } from './graph-projection.js';

const context = { seeds: new Set<string>(), siteEntities: new Set<string>() };
const DAY = 86_400;
const T0 = 1_690_000_000;

/** An entity paid by three others: small early, large early, large late. */
function fanIn(): GraphModel {
  const model = new GraphModel();
  model.addNode({ kind: 'entity', id: 'Esite' }, 'search');
  model.addFlows(
    flowsOfNeighbours({
      subject: { kind: 'entity', id: 'Esite' },
      neighbours: [
        { node: { kind: 'entity', id: 'Esmall' }, direction: 'in', value: '5000', txCount: 1, firstTime: T0, lastTime: T0 },
        { node: { kind: 'entity', id: 'Ebig' }, direction: 'in', value: '90000000', txCount: 3, firstTime: T0, lastTime: T0 + DAY },
        { node: { kind: 'entity', id: 'Elate' }, direction: 'in', value: '70000000', txCount: 1, firstTime: T0 + 10 * DAY, lastTime: T0 + 10 * DAY },
      ],
      truncated: false,
    }),
    'expansion',
    'entity:Esite',
  );
  return model;
}

function visible(filters: GraphFilters): string[] {
  return projectGraph(fanIn(), filters, context)
    .nodes.map((n) => n.id)
    .sort();
}

describe('filters', () => {
  it('no filter draws everything', () => {
    expect(filtersActive(NO_FILTERS)).toBe(false);
    expect(visible(NO_FILTERS)).toEqual(['Ebig', 'Elate', 'Esite', 'Esmall']);
  });

  it('a minimum value drops smaller edges and the nodes left without one, keeping the searched node', () => {
    const display = projectGraph(fanIn(), { ...NO_FILTERS, minValue: 1_000_000n }, context);
    expect(display.nodes.map((n) => n.id).sort()).toEqual(['Ebig', 'Elate', 'Esite']);
    expect(display.filteredOut).toEqual({ nodes: 1, edges: 1 });
  });

  it('a time range keeps edges whose span meets it', () => {
    expect(visible({ ...NO_FILTERS, fromTime: T0 + 5 * DAY })).toEqual(['Elate', 'Esite']);
    expect(visible({ ...NO_FILTERS, toTime: T0 + DAY / 2 })).toEqual(['Ebig', 'Esite', 'Esmall']);
    expect(visible({ fromTime: T0 + DAY / 2, toTime: T0 + 2 * DAY, minValue: null })).toEqual(['Ebig', 'Esite']);
  });

  it('keeps pinned nodes and the nodes asked to be kept even without an edge', () => {
    const model = fanIn();
    model.setPinned('entity:Esmall', true);
    expect(projectGraph(model, { ...NO_FILTERS, minValue: 1_000_000n }, context).nodes.map((n) => n.id)).toContain('Esmall');
    const plain = fanIn();
    expect(projectGraph(plain, { ...NO_FILTERS, minValue: 1_000_000n }, context, new Set(['entity:Esmall'])).nodes.map((n) => n.id)).toContain('Esmall');
  });

  it('applies the minimum to the summed edge of a collapsed entity, not to each address', () => {
    const model = new GraphModel();
    const tx = 'ab'.repeat(32);
    model.addNode({ kind: 'tx', id: tx }, 'search');
    model.addFlows(
      flowsOfNeighbours({
        subject: { kind: 'tx', id: tx },
        neighbours: [
          { node: { kind: 'address', id: '1A' }, direction: 'in', value: '600', txCount: 1, firstTime: T0, lastTime: T0 },
          { node: { kind: 'address', id: '1B' }, direction: 'in', value: '600', txCount: 1, firstTime: T0, lastTime: T0 },
        ],
        truncated: false,
      }),
      'expansion',
      `tx:${tx}`,
    );
    model.setDetails('address:1A', { entityId: 'E' });
    model.setDetails('address:1B', { entityId: 'E' });
    expect(projectGraph(model, { ...NO_FILTERS, minValue: 1000n }, context).edges).toHaveLength(0);
    model.collapse('E');
    const display = projectGraph(model, { ...NO_FILTERS, minValue: 1000n }, context);
    expect(display.edges.map((e) => [e.key, e.value])).toEqual([[`entity:E>tx:${tx}`, 1200n]]);
  });

  it('treats unknown times as inside any range', () => {
    expect(spanInRange(null, null, { fromTime: T0, toTime: T0, minValue: null })).toBe(true);
  });
});
