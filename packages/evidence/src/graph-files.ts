/**
 * The scope's graph as GraphML (http://graphml.graphdrawing.org/) and GEXF 1.3
 * (https://gexf.net/, what Gephi opens natively). Written by hand rather than through a
 * graph library so that the bytes depend on nothing but the graph: attribute order, ids
 * and number formats are fixed, as a reproducible bundle needs.
 */
import type { EvidenceGraph, GraphNode } from './evidence-graph.js';
import { xmlEscape } from './xml-text.js';
import { formatBtc } from './btc-text.js';

interface NodeAttribute {
  readonly name: string;
  readonly type: 'string' | 'boolean' | 'long';
  readonly value: (node: GraphNode) => string | number | boolean | null;
}

const NODE_ATTRIBUTES: readonly NodeAttribute[] = [
  { name: 'kind', type: 'string', value: (n) => n.kind },
  { name: 'entity_id', type: 'string', value: (n) => n.entityId },
  { name: 'entity_label', type: 'string', value: (n) => n.entityLabel },
  { name: 'tag', type: 'string', value: (n) => n.tag },
  { name: 'seed', type: 'boolean', value: (n) => n.seed },
  { name: 'block_height', type: 'long', value: (n) => n.height },
  { name: 'block_time_utc', type: 'string', value: (n) => n.timeUtc },
];

export function toGraphMl(graph: EvidenceGraph, description: string): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    `  <desc>${xmlEscape(description)}</desc>`,
    '  <key id="label" for="node" attr.name="label" attr.type="string"/>',
    ...NODE_ATTRIBUTES.map((a) => `  <key id="${a.name}" for="node" attr.name="${a.name}" attr.type="${a.type}"/>`),
    '  <key id="edge_kind" for="edge" attr.name="kind" attr.type="string"/>',
    '  <key id="value_sat" for="edge" attr.name="value_sat" attr.type="long"/>',
    '  <graph id="evidence" edgedefault="directed">',
  ];
  for (const node of graph.nodes) {
    const data = [`<data key="label">${xmlEscape(node.label)}</data>`];
    for (const a of NODE_ATTRIBUTES) {
      const v = a.value(node);
      if (v !== null) data.push(`<data key="${a.name}">${xmlEscape(String(v))}</data>`);
    }
    lines.push(`    <node id="${xmlEscape(node.id)}">${data.join('')}</node>`);
  }
  for (const edge of graph.edges) {
    lines.push(`    <edge id="${edge.id}" source="${xmlEscape(edge.source)}" target="${xmlEscape(edge.target)}"><data key="edge_kind">${edge.kind}</data><data key="value_sat">${edge.value}</data></edge>`);
  }
  lines.push('  </graph>', '</graphml>', '');
  return lines.join('\n');
}

export function toGexf(graph: EvidenceGraph, description: string, creator: string): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">',
    `  <meta><creator>${xmlEscape(creator)}</creator><description>${xmlEscape(description)}</description></meta>`,
    '  <graph defaultedgetype="directed" mode="static">',
    '    <attributes class="node">',
    ...NODE_ATTRIBUTES.map((a, i) => `      <attribute id="${i}" title="${a.name}" type="${a.type}"/>`),
    '    </attributes>',
    '    <attributes class="edge">',
    '      <attribute id="0" title="kind" type="string"/>',
    '      <attribute id="1" title="value_sat" type="long"/>',
    '    </attributes>',
    '    <nodes>',
  ];
  for (const node of graph.nodes) {
    const values = NODE_ATTRIBUTES.flatMap((a, i) => {
      const v = a.value(node);
      return v === null ? [] : [`<attvalue for="${i}" value="${xmlEscape(String(v))}"/>`];
    });
    lines.push(`      <node id="${xmlEscape(node.id)}" label="${xmlEscape(node.label)}"><attvalues>${values.join('')}</attvalues></node>`);
  }
  lines.push('    </nodes>', '    <edges>');
  for (const edge of graph.edges) {
    // Gephi sizes edges by weight; in BTC so that layouts see amounts on a human scale.
    lines.push(
      `      <edge id="${edge.id}" source="${xmlEscape(edge.source)}" target="${xmlEscape(edge.target)}" weight="${formatBtc(edge.value)}"><attvalues><attvalue for="0" value="${edge.kind}"/><attvalue for="1" value="${edge.value}"/></attvalues></edge>`,
    );
  }
  lines.push('    </edges>', '  </graph>', '</gexf>', '');
  return lines.join('\n');
}
