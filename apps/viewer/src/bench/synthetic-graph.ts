/**
 * A graph shaped like an investigation, for the benchmark: addresses paying into
 * transactions paying addresses, a few entities, hubs (exchanges) with many edges, values
 * spread over six orders of magnitude. Deterministic for a given size.
 */
import type { FlowFact } from '../graph/flow-facts.js';
import { GraphModel } from '../graph/graph-model.js';
import type { NodeRef } from '../api/wire-types.js';
import { nodeKey } from '../graph/node-key.js';

/** mulberry32: small, fast, good enough to spread a benchmark graph. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function syntheticGraph(size: number, seed = 7): GraphModel {
  const next = random(seed);
  const model = new GraphModel();
  const refs: NodeRef[] = [];
  const hex = (i: number): string => i.toString(16).padStart(64, '0');
  for (let i = 0; i < size; i++) {
    const roll = next();
    const ref: NodeRef = roll < 0.08 ? { kind: 'entity', id: `E${hex(i).slice(40)}` } : i % 2 === 0 ? { kind: 'address', id: `bc1qbench${i.toString(36)}` } : { kind: 'tx', id: hex(i) };
    refs.push(ref);
  }
  const facts: FlowFact[] = [];
  const value = (): bigint => BigInt(Math.floor(10 ** (3 + next() * 6)));
  const time = 1_690_000_000;
  const parentOf = new Int32Array(size);
  for (let i = 1; i < size; i++) {
    // Preferential attachment: hubs emerge, as exchanges do.
    const parent = next() < 0.3 ? Math.floor(next() * Math.min(i, 50)) : Math.floor(next() * i);
    parentOf[i] = parent;
    const forward = next() < 0.5;
    facts.push({ from: forward ? refs[parent]! : refs[i]!, to: forward ? refs[i]! : refs[parent]!, value: value(), txCount: 1, firstTime: time + i, lastTime: time + i });
  }
  // Cross links join a node to its grandparent: short cycles, as reused addresses make.
  for (let extra = 0; extra < size * 0.3; extra++) {
    const a = Math.floor(next() * size);
    const b = parentOf[parentOf[a]!]!;
    if (a !== b) facts.push({ from: refs[a]!, to: refs[b]!, value: value(), txCount: 1, firstTime: time, lastTime: time });
  }
  refs.forEach((ref, i) => {
    const node = model.addNode(ref, i === 0 ? 'search' : 'expansion');
    const roll = next();
    model.setDetails(node.key, { entityId: null, tagCategory: roll < 0.03 ? 'exchange' : roll < 0.04 ? 'mixing_service' : roll < 0.045 ? 'sanction' : null, label: roll < 0.03 ? `exchange ${i}` : null, size: ref.kind === 'entity' ? 1 + Math.floor(next() * 200) : null });
  });
  for (const fact of facts) model.addFlows([fact], 'expansion', nodeKey(fact.from));
  return model;
}
