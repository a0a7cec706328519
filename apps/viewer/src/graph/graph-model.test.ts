import { describe, expect, it } from 'vitest';
import type { NeighbourResultJson, TransactionJson } from '../api/wire-types.js';
import { flowsOfEntityHops, flowsOfNeighbours, flowsOfTransaction } from './flow-facts.js';
import { NO_FILTERS } from './graph-filters.js';
import { GraphModel } from './graph-model.js';
import { projectGraph } from './graph-projection.js';

const SEED = '1QGbgRxDe3JkEX7LLJtjM4KkFUi3RXX6pJ';
const PAYER_A = '1MFfhCLBBxFNMNCkZainVukzxtm9BU2HK1';
const PAYER_B = '1K3GAagbnZHVWqpzuinDXT44KJEZYpAq7x';
const T1 = '9dcdb7cabc0dc75facd15594a79ec04284a99cbb9ea1b6228eacea7d2fb7752f';
const T2 = 'fc58487f9bfcf1685790c1eaac654e1af18762737633eb39d0c77c379ba6b9ef';
const context = { seeds: new Set([SEED]), siteEntities: new Set<string>() };

/** Seed ← T1 ← payers A and B (one entity E1); seed → T2. */
function paidSeed(): GraphModel {
  const model = new GraphModel();
  model.addNode({ kind: 'address', id: SEED }, 'search');
  const seedSide: NeighbourResultJson = {
    subject: { kind: 'address', id: SEED },
    neighbours: [
      { node: { kind: 'tx', id: T1 }, direction: 'in', value: '862069', txCount: 1, firstTime: 1_690_236_852, lastTime: 1_690_236_852 },
      { node: { kind: 'tx', id: T2 }, direction: 'out', value: '862069', txCount: 1, firstTime: 1_690_239_626, lastTime: 1_690_239_626 },
    ],
    truncated: false,
  };
  model.addFlows(flowsOfNeighbours(seedSide), 'expansion', `address:${SEED}`);
  const payers: NeighbourResultJson = {
    subject: { kind: 'tx', id: T1 },
    neighbours: [
      { node: { kind: 'address', id: PAYER_A }, direction: 'in', value: '600000', txCount: 1, firstTime: 1_690_236_852, lastTime: 1_690_236_852 },
      { node: { kind: 'address', id: PAYER_B }, direction: 'in', value: '300000', txCount: 1, firstTime: 1_690_236_852, lastTime: 1_690_236_852 },
    ],
    truncated: false,
  };
  model.addFlows(flowsOfNeighbours(payers), 'expansion', `tx:${T1}`);
  model.setDetails(`address:${PAYER_A}`, { entityId: 'E1' });
  model.setDetails(`address:${PAYER_B}`, { entityId: 'E1' });
  return model;
}

function edgeValues(model: GraphModel, filters = NO_FILTERS): Record<string, string> {
  const display = projectGraph(model, filters, context);
  return Object.fromEntries(display.edges.map((e) => [e.key, e.value.toString()]));
}

describe('graph model', () => {
  it('orients neighbours: "in" ones paid the subject, the subject paid "out" ones', () => {
    const model = paidSeed();
    expect(edgeValues(model)).toEqual({
      [`tx:${T1}>address:${SEED}`]: '862069',
      [`address:${SEED}>tx:${T2}`]: '862069',
      [`address:${PAYER_A}>tx:${T1}`]: '600000',
      [`address:${PAYER_B}>tx:${T1}`]: '300000',
    });
    expect(model.node(`tx:${T1}`)?.near).toBe(`address:${SEED}`);
  });

  it('keeps one edge per flow when the same flow is learned from both ends', () => {
    const model = paidSeed();
    const edges = model.edges.size;
    model.addFlows(
      flowsOfNeighbours({
        subject: { kind: 'address', id: PAYER_A },
        neighbours: [{ node: { kind: 'tx', id: T1 }, direction: 'out', value: '600000', txCount: 1, firstTime: 1_690_236_852, lastTime: 1_690_236_852 }],
        truncated: false,
      }),
      'expansion',
      `address:${PAYER_A}`,
    );
    expect(model.edges.size).toBe(edges);
    expect(edgeValues(model)[`address:${PAYER_A}>tx:${T1}`]).toBe('600000');
  });

  it('draws collapsed addresses as their entity, summing their payments into a transaction once', () => {
    const model = paidSeed();
    model.collapse('E1');
    const display = projectGraph(model, NO_FILTERS, context);
    expect(display.nodes.map((n) => n.key)).not.toContain(`address:${PAYER_A}`);
    const entity = display.nodes.find((n) => n.key === 'entity:E1');
    expect(entity?.collapsedMembers).toBe(2);
    const edge = display.edges.find((e) => e.key === `entity:E1>tx:${T1}`);
    expect(edge?.value).toBe(900_000n);
    expect(edge?.txCount).toBe(1);

    model.uncollapse('E1');
    expect(projectGraph(model, NO_FILTERS, context).nodes.map((n) => n.key)).toContain(`address:${PAYER_A}`);
  });

  it('hides nodes with their edges and shows them again', () => {
    const model = paidSeed();
    model.setHidden([`tx:${T1}`], true);
    const display = projectGraph(model, NO_FILTERS, context);
    expect(display.nodes.map((n) => n.key)).not.toContain(`tx:${T1}`);
    expect(display.edges.some((e) => e.key.includes(T1))).toBe(false);
    expect(display.hiddenNodes).toBe(1);
    expect(model.showAll()).toBe(1);
    expect(projectGraph(model, NO_FILTERS, context).nodes).toHaveLength(5);
  });

  it('a search for a hidden node shows it again and makes it an anchor', () => {
    const model = paidSeed();
    model.setHidden([`address:${PAYER_B}`], true);
    const node = model.addNode({ kind: 'address', id: PAYER_B }, 'search');
    expect(node.hidden).toBe(false);
    expect(model.isAnchor(node)).toBe(true);
  });

  it("puts an entity's members on the canvas tied to it, and uncollapses it", () => {
    const model = paidSeed();
    model.collapse('E1');
    const added = model.addMembers('E1', [PAYER_A, PAYER_B, '1BoatSLRHtKNngkdXEeobR76b53LETtpyT']);
    expect(added).toEqual(['address:1BoatSLRHtKNngkdXEeobR76b53LETtpyT']);
    const display = projectGraph(model, NO_FILTERS, context);
    expect(display.edges.filter((e) => e.kind === 'member')).toHaveLength(3);
    expect(model.membersOf('E1')).toHaveLength(3);
  });

  it('colours the seed and counts categories from facts', () => {
    const model = paidSeed();
    model.setDetails(`address:${PAYER_A}`, { entityId: 'E1', tagCategory: 'exchange', label: 'northwind exchange' });
    const display = projectGraph(model, NO_FILTERS, context);
    const category = Object.fromEntries(display.nodes.map((n) => [n.key, n.category]));
    expect(category[`address:${SEED}`]).toBe('seed');
    expect(category[`address:${PAYER_A}`]).toBe('exchange');
    expect(category[`address:${PAYER_B}`]).toBe('unknown');
  });
});

describe('facts from transactions and paths', () => {
  it('sums a transaction per input and per output address', () => {
    const tx: TransactionJson = {
      txid: T1,
      isCoinbase: false,
      vsize: 200,
      placement: { blockHash: '00', blockHeight: 800_113, blockTime: 1_690_236_852, position: 3 },
      inputs: [
        { vin: 0, coinbase: false, address: PAYER_A, value: 400_000 },
        { vin: 1, coinbase: false, address: PAYER_A, value: 200_000 },
        { vin: 2, coinbase: false, address: null, value: null },
      ],
      outputs: [
        { vout: 0, value: 500_000, address: SEED, spentBy: null },
        { vout: 1, value: 90_000, address: PAYER_A, spentBy: null },
      ],
      fee: '10000',
      coinjoin: null,
    };
    const facts = flowsOfTransaction(tx);
    expect(facts.map((f) => [f.from.id, f.to.id, f.value])).toEqual([
      [PAYER_A, T1, 600_000n],
      [T1, SEED, 500_000n],
      [T1, PAYER_A, 90_000n],
    ]);
    expect(flowsOfTransaction(tx, new Set([SEED])).map((f) => f.to.id)).toEqual([SEED]);
  });

  it('orients entity hops of a path by their direction', () => {
    const facts = flowsOfEntityHops({
      nodes: [
        { kind: 'entity', id: 'Esite' },
        { kind: 'entity', id: 'Ex' },
      ],
      hops: [{ from: { kind: 'entity', id: 'Esite' }, to: { kind: 'entity', id: 'Ex' }, direction: 'in', value: '3103449' }],
    });
    expect(facts).toEqual([{ from: { kind: 'entity', id: 'Ex' }, to: { kind: 'entity', id: 'Esite' }, value: 3_103_449n, txCount: null, firstTime: null, lastTime: null }]);
  });
});
