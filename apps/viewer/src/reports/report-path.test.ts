import { describe, expect, it } from 'vitest';
import type { PayerReportJson } from '../api/report-wire-types.js';
import type { TransactionJson } from '../api/wire-types.js';
import { nodeKey } from '../graph/node-key.js';
import payersFixture from './fixtures/payers-report.json' with { type: 'json' };
import transactionsFixture from './fixtures/path-transactions.json' with { type: 'json' };
import { paymentPath } from './payer-rows.js';
import { directSourceAddresses, flowsAlongPath, MissingPathTransactionError, pathNodes, sourceFlows } from './report-path.js';

const payers = payersFixture as unknown as PayerReportJson;
const txs = new Map(Object.entries(transactionsFixture as unknown as Record<string, TransactionJson>));

/** What `tx` paid `address` (outputs) or `address` paid `tx` (inputs), summed from the transaction itself. */
function paid(tx: TransactionJson, side: 'inputs' | 'outputs', address: string): bigint {
  return tx[side].filter((e) => e.address === address).reduce((sum, e) => sum + BigInt(e.value ?? 0), 0n);
}

const attributed = payers.payments.filter((p) => p.status === 'attributed');

describe('a payer row as a path on the canvas', () => {
  it.each(attributed.map((p) => [`${p.attribution!.hops} hops to ${p.attribution!.service}`, p] as const))('runs from the service to the seed in money order (%s)', (_name, payment) => {
    const path = paymentPath(payment)!;
    const nodes = pathNodes(path).map(nodeKey);
    // The service's own transaction first, the seed last.
    expect(nodes[0]).toBe(`tx:${payment.attribution!.path.at(-1)!.txid}`);
    expect(nodes.at(-1)).toBe(`address:${payment.seed.address}`);
    expect(nodes).toHaveLength(payment.attribution!.hops * 2);
    expect(path.source).toEqual(payment.attribution!.entities.map((e) => e.node));
    expect(path.focus).toEqual(payment.attribution!.entities[0]!.node);
  });

  it.each(attributed.map((p) => [p.txid, p] as const))('links every step with amounts read from the transactions (%s)', (_txid, payment) => {
    const path = paymentPath(payment)!;
    const facts = flowsAlongPath(path, txs);
    const keys = pathNodes(path).map(nodeKey);
    // tx → address → tx → ... → seed, one edge per link, nothing else.
    expect(facts.map((f) => [nodeKey(f.from), nodeKey(f.to)])).toEqual(keys.slice(0, -1).map((key, i) => [key, keys[i + 1]]));
    for (const fact of facts) {
      const tx = txs.get(fact.from.kind === 'tx' ? fact.from.id : fact.to.id)!;
      expect(fact.value).toBe(fact.from.kind === 'tx' ? paid(tx, 'outputs', fact.to.id) : paid(tx, 'inputs', fact.from.id));
    }
    // The last edge is the payment the report lists.
    expect(facts.at(-1)!.value).toBe(BigInt(payment.value));
  });

  it("takes the spent output's value when the store could not resolve that input", () => {
    const payment = attributed[0]!;
    const path = paymentPath(payment)!;
    const second = path.steps[1]!;
    const before = path.steps[0]!;
    const tx = txs.get(second.txid)!;
    const unresolved: TransactionJson = { ...tx, inputs: tx.inputs.map((i) => (i.address === before.address ? { ...i, address: null, value: null } : i)) };
    const facts = flowsAlongPath(path, new Map([...txs, [second.txid, unresolved]]));
    expect(facts.find((f) => f.to.kind === 'tx' && f.to.id === second.txid)).toMatchObject({ from: { kind: 'address', id: before.address }, value: BigInt(before.value) });
  });

  it('refuses to draw a path whose transaction did not arrive, naming it', () => {
    const path = paymentPath(attributed[0]!)!;
    const without = new Map(txs);
    without.delete(path.steps[0]!.txid);
    expect(() => flowsAlongPath(path, without)).toThrow(MissingPathTransactionError);
    expect(() => flowsAlongPath(path, without)).toThrow(path.steps[0]!.txid);
  });

  it("adds only the source's own inputs into the first transaction", () => {
    const path = paymentPath(attributed[0]!)!;
    const first = txs.get(path.steps[0]!.txid)!;
    const inputs = [...new Set(first.inputs.map((i) => i.address).filter((a): a is string => a !== null))];
    const chosen = new Set(inputs.slice(0, 1));
    const facts = sourceFlows(first, chosen);
    expect(facts.map((f) => f.from.id)).toEqual([...chosen]);
    expect(facts.every((f) => f.to.kind === 'tx' && f.to.id === first.txid)).toBe(true);
    expect(facts[0]!.value).toBe(paid(first, 'inputs', inputs[0]!));
    // A lone address the report names as the source is recognised without a lookup.
    expect(directSourceAddresses(first, [{ kind: 'address', id: inputs[0]! }, { kind: 'entity', id: 'E0' }])).toEqual(new Set([inputs[0]]));
  });
});
