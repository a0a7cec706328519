import Graph from 'graphology';
import { parse as parseGexf } from 'graphology-gexf';
import { parse as parseGraphml } from 'graphology-graphml';
import { describe, expect, it } from 'vitest';
import type { EvidenceGraph } from './evidence-graph.js';
import { toGexf, toGraphMl } from './graph-files.js';

const txid = 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16';
const graph: EvidenceGraph = {
  nodes: [
    { id: 'address:12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S', label: '12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S', kind: 'address', entityId: 'E1', entityLabel: 'Satoshi <&> "test"', tag: null, seed: true, height: null, timeUtc: null },
    { id: `tx:${txid}`, label: 'f4184fc59640…', kind: 'tx', entityId: null, entityLabel: null, tag: null, seed: false, height: 170, timeUtc: '2009-01-12T03:30:25Z' },
    { id: 'address:1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3', label: '1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3', kind: 'address', entityId: null, entityLabel: null, tag: 'Hal Finney', seed: false, height: null, timeUtc: null },
  ],
  edges: [
    { id: 'e0', source: 'address:12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S', target: `tx:${txid}`, kind: 'input', value: 5_000_000_000n },
    { id: 'e1', source: `tx:${txid}`, target: 'address:1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3', kind: 'output', value: 1_000_000_000n },
    { id: 'e2', source: `tx:${txid}`, target: 'address:12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S', kind: 'output', value: 4_000_000_000n },
  ],
};

describe('graph files open in standard parsers (what Gephi reads)', () => {
  it('GraphML keeps every node, edge, attribute and amount', () => {
    const parsed = parseGraphml(Graph as unknown as Parameters<typeof parseGraphml>[0], toGraphMl(graph, 'block 170 <test>'));
    expect(parsed.order).toBe(3);
    expect(parsed.size).toBe(3);
    expect(parsed.getNodeAttribute('address:12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S', 'entity_label')).toBe('Satoshi <&> "test"');
    expect(parsed.getNodeAttribute('address:12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S', 'seed')).toBe(true);
    expect(parsed.getNodeAttribute(`tx:${txid}`, 'block_height')).toBe(170);
    const values = parsed.mapEdges((_e, attrs) => Number(attrs['value_sat'])).sort((a, b) => a - b);
    expect(values).toEqual([1_000_000_000, 4_000_000_000, 5_000_000_000]);
    expect(parsed.type).toBe('directed');
  });

  it('GEXF keeps every node, edge, attribute and amount, with BTC weights', () => {
    const parsed = parseGexf(Graph as unknown as Parameters<typeof parseGexf>[0], toGexf(graph, 'block 170', 'chaintrail test'));
    expect(parsed.order).toBe(3);
    expect(parsed.size).toBe(3);
    expect(parsed.getNodeAttribute('address:1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3', 'tag')).toBe('Hal Finney');
    expect(parsed.getNodeAttribute('address:12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S', 'entity_label')).toBe('Satoshi <&> "test"');
    const edge = parsed.edge(`tx:${txid}`, 'address:1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3');
    expect(edge).toBeDefined();
    expect(Number(parsed.getEdgeAttribute(edge!, 'value_sat'))).toBe(1_000_000_000);
    expect(parsed.getEdgeAttribute(edge!, 'weight')).toBe(10);
  });

  it('writes the same bytes for the same graph', () => {
    expect(toGexf(graph, 'x', 'y')).toBe(toGexf({ nodes: [...graph.nodes], edges: [...graph.edges] }, 'x', 'y'));
    expect(toGraphMl(graph, 'x')).toBe(toGraphMl({ nodes: [...graph.nodes], edges: [...graph.edges] }, 'x'));
  });
});
