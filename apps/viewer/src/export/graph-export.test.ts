import { describe, expect, it } from 'vitest';
import { flowsOfNeighbours } from '../graph/flow-facts.js';
import { NO_FILTERS } from '../graph/graph-filters.js';
import { GraphModel } from '../graph/graph-model.js';
import { projectGraph } from '../graph/graph-projection.js';
import { NO_MARKS } from '../render/scene.js';
import { edgesCsv, nodesCsv } from './graph-csv.js';
import { graphml } from './graph-graphml.js';
import type { ExportContext } from './node-columns.js';
import { svgOfView } from './svg-export.js';

const SEED = '1QGbgRxDe3JkEX7LLJtjM4KkFUi3RXX6pJ';
const TX = '9dcdb7cabc0dc75facd15594a79ec04284a99cbb9ea1b6228eacea7d2fb7752f';

function exportContext(label = 'northwind exchange'): ExportContext {
  const model = new GraphModel();
  model.addNode({ kind: 'address', id: SEED }, 'search');
  model.addFlows(
    flowsOfNeighbours({
      subject: { kind: 'address', id: SEED },
      neighbours: [{ node: { kind: 'tx', id: TX }, direction: 'in', value: '862069', txCount: 1, firstTime: 1_690_236_852, lastTime: 1_690_236_852 }],
      truncated: false,
    }),
    'expansion',
    `address:${SEED}`,
  );
  model.addFlows(
    flowsOfNeighbours({
      subject: { kind: 'tx', id: TX },
      neighbours: [{ node: { kind: 'entity', id: 'Eb2f3' }, direction: 'in', value: '2100000000000000', txCount: 1, firstTime: 1_690_236_852, lastTime: 1_690_236_852 }],
      truncated: false,
    }),
    'expansion',
    `tx:${TX}`,
  );
  model.setDetails('entity:Eb2f3', { label, tagCategory: 'exchange', size: 12 });
  const display = projectGraph(model, NO_FILTERS, { seeds: new Set([SEED]), siteEntities: new Set() });
  const positions = new Float32Array(display.nodes.length * 2).map((_, i) => i * 10.123);
  return { display, positions, annotations: new Map([[`address:${SEED}`, { colour: 'red' as const, note: true, text: 'deposit of user 7, "seized" server' }]]) };
}

describe('CSV export', () => {
  it('lists every drawn node with its category, note and position', () => {
    const lines = nodesCsv(exportContext()).split('\r\n');
    expect(lines[0]).toBe('key,kind,id,label,category,entity,collapsed_addresses,note,colour,x,y');
    expect(lines).toContain(`address:${SEED},address,${SEED},,seed,,0,"deposit of user 7, ""seized"" server",red,0,10.12`);
    expect(lines.some((line) => line.startsWith('entity:Eb2f3,entity,Eb2f3,northwind exchange,exchange,'))).toBe(true);
  });

  it('gives every edge in satoshis and exact BTC, with UTC times', () => {
    const lines = edgesCsv(exportContext()).split('\r\n');
    expect(lines[0]).toBe('source,target,kind,value_sats,value_btc,tx_count,first_time_utc,last_time_utc');
    expect(lines).toContain(`tx:${TX},address:${SEED},flow,862069,0.00862069,1,2023-07-24T22:14:12Z,2023-07-24T22:14:12Z`);
    expect(lines).toContain(`entity:Eb2f3,tx:${TX},flow,2100000000000000,21000000.00000000,1,2023-07-24T22:14:12Z,2023-07-24T22:14:12Z`);
  });

  it('defuses labels a spreadsheet would run as formulas', () => {
    const csv = nodesCsv(exportContext('=HYPERLINK("http://x")'));
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
  });
});

describe('GraphML export', () => {
  it('declares its keys and writes directed edges with values', () => {
    const xml = graphml(exportContext(), 'case demo');
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<graphml xmlns="http:\/\/graphml.graphdrawing.org\/xmlns"/);
    expect(xml).toContain('<key id="e_value_sats" for="edge" attr.name="value_sats" attr.type="long"/>');
    expect(xml).toContain('<graph id="chaintrail" edgedefault="directed">');
    expect(xml.match(/<node /g)).toHaveLength(3);
    expect(xml).toContain(`<edge id="e0" source="tx:${TX}" target="address:${SEED}"><data key="e_kind">flow</data><data key="e_value_sats">862069</data>`);
    expect(xml).toContain('<data key="n_note">deposit of user 7, &quot;seized&quot; server</data>');
  });

  it('escapes markup and drops characters XML cannot hold', () => {
    const xml = graphml(exportContext('<script>&\u0001'), 'x');
    expect(xml).toContain('<data key="n_label">&lt;script&gt;&amp;</data>');
  });
});

describe('SVG export', () => {
  it('draws nodes in view with their shapes and colours, amounts, a legend and the caption', () => {
    const context = exportContext();
    const svg = svgOfView({ display: context.display, positions: context.positions, marks: { ...NO_MARKS, selected: [`address:${SEED}`] } }, { width: 800, height: 600, dpr: 1, transform: { x: 400, y: 300, k: 1 } }, ['case demo', 'exported 2026-01-01']);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="800" height="600"/);
    expect(svg).toContain('<circle cx="400" cy="310.12" r="6.5" fill="#d81b60"/>');
    expect(svg.match(/<rect x=/g)?.length).toBeGreaterThanOrEqual(1);
    expect(svg).toContain('<polygon points=');
    expect(svg).toContain('0.00862069 BTC');
    expect(svg).toContain('northwind exchange');
    expect(svg).toContain('Exchange</text>');
    expect(svg).toContain('<text x="12" y="18">case demo</text>');
    expect(svg.match(/marker-end/g)).toHaveLength(2);
  });
});
