import { describe, expect, it } from 'vitest';
import { ViewerApiError } from '../api/viewer-api-error.js';
import type { NodeRef } from '../api/wire-types.js';
import type { FlowFact } from '../graph/flow-facts.js';
import { NO_FILTERS } from '../graph/graph-filters.js';
import { GraphModel } from '../graph/graph-model.js';
import { projectGraph } from '../graph/graph-projection.js';
import { base64Bytes, sha256Hex } from './bundle-bytes.js';
import { evidenceFailureText } from './evidence-failure.js';
import { evidenceViewState } from './evidence-scope.js';

const SEED = '1QGbgRxDe3JkEX7LLJtjM4KkFUi3RXX6pJ';
const PAYER = 'bc1q2yd75k5faq3mfx4lm3nn50z5zrfv3mls4zyqef';
const HOT = '32L7DHs3i9HcQgtD933AuPymRdQhp3336c';
const PAYMENT = '9dcdb7cabc0dc75facd15594a79ec04284a99cbb9ea1b6228eacea7d2fb7752f';
const WITHDRAWAL = '81cc30c70ecf20541e1ad446cf8eabe75fa3850ea85651d6fe966eb1f4b97fe5';
const EXCHANGE = 'Eb2f3b04d2bfce58a5d7920da';

function flow(from: NodeRef, to: NodeRef, value: bigint): FlowFact {
  return { from, to, value, txCount: 1, firstTime: null, lastTime: null };
}

/** exchange (collapsed: its hot-wallet address) → withdrawal → payer → payment → seed, and one hidden stray. */
function investigated(): GraphModel {
  const model = new GraphModel();
  const address = (id: string): NodeRef => ({ kind: 'address', id });
  const tx = (id: string): NodeRef => ({ kind: 'tx', id });
  model.addFlows([flow(address(HOT), tx(WITHDRAWAL), 5000n), flow(tx(WITHDRAWAL), address(PAYER), 1000n), flow(address(PAYER), tx(PAYMENT), 1000n), flow(tx(PAYMENT), address(SEED), 1000n)], 'path', null);
  model.node(`address:${HOT}`)!.entityId = EXCHANGE;
  model.collapse(EXCHANGE);
  model.addNode(address('bc1qstray'), 'search');
  model.setHidden(['address:bc1qstray'], true);
  return model;
}

describe('the current view as an evidence scope', () => {
  it('cites every drawn node and the addresses drawn as a collapsed entity, as { kind, id } objects, and nothing hidden', () => {
    const model = investigated();
    const display = projectGraph(model, NO_FILTERS, { seeds: new Set([SEED]), siteEntities: new Set() });
    const state = evidenceViewState(model, new Set(display.nodes.map((n) => n.key)));
    const keys = state.nodes.map((n) => `${n.kind}:${n.id}`);
    expect(keys.sort()).toEqual([`address:${HOT}`, `address:${PAYER}`, `address:${SEED}`, `entity:${EXCHANGE}`, `tx:${PAYMENT}`, `tx:${WITHDRAWAL}`].sort());
    // The API's evidence route finds nodes by this exact shape.
    for (const node of state.nodes) expect(Object.keys(node).sort()).toEqual(['id', 'kind']);
  });

  it('leaves out what a filter keeps off the canvas', () => {
    const model = investigated();
    const display = projectGraph(model, { ...NO_FILTERS, minValue: 2000n }, { seeds: new Set([SEED]), siteEntities: new Set() });
    const state = evidenceViewState(model, new Set(display.nodes.map((n) => n.key)));
    expect(state.nodes.map((n) => `${n.kind}:${n.id}`).sort()).toEqual(display.nodes.flatMap((n) => (n.key === `entity:${EXCHANGE}` ? [n.key, `address:${HOT}`] : [n.key])).sort());
    expect(state.nodes.some((n) => n.id === PAYER)).toBe(false);
  });
});

describe('why an evidence export failed', () => {
  it('tells a viewer-role token that it needs an analyst token', () => {
    const text = evidenceFailureText(new ViewerApiError('CHAINTRAIL_FORBIDDEN', 'The token may not do this.', { status: 403, requestId: 'req-7' }));
    expect(text).toContain('needs an analyst token');
    expect(text).toContain('chaintrail token create --role analyst');
    expect(text).toContain('req-7');
  });

  it('names a server failure with its status and request id, and says nothing was downloaded', () => {
    const text = evidenceFailureText(new ViewerApiError('CHAINTRAIL_INTERNAL', 'Something failed on the server.', { status: 500, requestId: 'req-9' }));
    expect(text).toContain('HTTP 500, request req-9');
    expect(text).toContain('Something failed on the server.');
    expect(text).toContain('Nothing was downloaded');
  });

  it('keeps the timeout explanation and adds what to do about a large view', () => {
    const text = evidenceFailureText(new ViewerApiError('CHAINTRAIL_VIEWER_TIMEOUT', 'The API did not answer POST /api/cases/c/evidence within 300 s.'));
    expect(text).toContain('within 300 s');
    expect(text).toContain('chaintrail export');
  });

  it("passes on the API's own reason for a refused request", () => {
    const text = evidenceFailureText(new ViewerApiError('CHAINTRAIL_BAD_REQUEST', 'Invalid body.state: the view holds no {kind, id} node to export.', { status: 400, requestId: 'r1' }));
    expect(text).toContain('the view holds no {kind, id} node');
  });
});

describe('the bundle bytes', () => {
  it('decodes base64 exactly and checks them with SHA-256 (FIPS 180-2 test vector "abc")', async () => {
    const bytes = base64Bytes('YWJj');
    expect([...bytes]).toEqual([0x61, 0x62, 0x63]);
    expect(await sha256Hex(bytes)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('keeps every byte value through the round trip', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect([...base64Bytes(Buffer.from(all).toString('base64'))]).toEqual([...all]);
  });
});
