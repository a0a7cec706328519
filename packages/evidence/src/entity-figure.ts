/**
 * The bundle's figure: money between entities in the scope's transactions, as an SVG.
 * For each transaction, every output paying another entity counts as flow from each
 * entity among its inputs (the store's entity semantics, graph-store.ts `NeighbourQuery`);
 * payments inside one entity (change, sweeps) are left out. Only the largest entities fit
 * on one page; the seeds' entities are always shown. The figure shows payments as the
 * chain records them, not a flow model.
 */
import type { BuiltTables } from './build-tables.js';
import type { CollectedEvidence } from './collect-evidence.js';
import { formatBtc } from './btc-text.js';
import { forceLayout } from './force-layout.js';
import { xmlEscape } from './xml-text.js';

export const FIGURE_WIDTH = 1200;
export const FIGURE_HEIGHT = 820;
const MAX_NODES = 40;
const MAX_EDGES = 90;
const MAX_SEED_COUNTERPARTIES = 18;

type Role = 'seeds' | 'exchange' | 'tagged' | 'other';

interface FigureNode {
  readonly key: string;
  readonly label: string;
  readonly detail: string;
  readonly role: Role;
  readonly weight: bigint;
}

interface FigureEdge {
  readonly from: string;
  readonly to: string;
  readonly value: bigint;
}

export interface EntityFigure {
  readonly nodes: readonly FigureNode[];
  readonly edges: readonly FigureEdge[];
  /** Entities (and unclustered addresses) with flow that did not fit. */
  readonly leftOut: number;
}

const COLOURS: Record<Role, string> = { seeds: '#c0392b', exchange: '#1f6fb2', tagged: '#7d3c98', other: '#7f8c8d' };
const ROLE_NAMES: Record<Role, string> = { seeds: 'holds seized addresses', exchange: 'tagged exchange', tagged: 'other tagged service', other: 'untagged' };

export function buildEntityFigure(evidence: CollectedEvidence, tables: BuiltTables): EntityFigure {
  const keyOf = (address: string): string => evidence.entityOf.get(address) ?? address;
  const flows = new Map<string, bigint>();
  const weight = new Map<string, bigint>();
  for (const { tx } of tables.order) {
    if (!evidence.txs.get(tx.txid)?.roles.has('scope')) continue;
    const payers = new Set(tx.inputs.flatMap((i) => (i.address === null ? [] : [keyOf(i.address)])));
    for (const output of tx.outputs) {
      if (output.address === null) continue;
      const to = keyOf(output.address);
      for (const from of payers) {
        if (from === to) continue;
        const edge = `${from}\n${to}`;
        flows.set(edge, (flows.get(edge) ?? 0n) + BigInt(output.value));
        weight.set(from, (weight.get(from) ?? 0n) + BigInt(output.value));
        weight.set(to, (weight.get(to) ?? 0n) + BigInt(output.value));
      }
    }
  }
  const seedKeys = new Set([...evidence.seeds.keys()].map(keyOf));
  const byWeight = (a: string, b: string): number => {
    const d = (weight.get(b) ?? 0n) - (weight.get(a) ?? 0n);
    return d > 0n ? 1 : d < 0n ? -1 : a < b ? -1 : a > b ? 1 : 0;
  };
  const seedsFirst = [...seedKeys].filter((k) => weight.has(k)).sort(byWeight);
  // Who paid the seeds' entities and where their money went is the story; then the largest of the rest.
  const counterparty = new Map<string, bigint>();
  for (const [key, value] of flows) {
    const [from, to] = key.split('\n') as [string, string];
    if (seedKeys.has(from) && !seedKeys.has(to)) counterparty.set(to, (counterparty.get(to) ?? 0n) + value);
    if (seedKeys.has(to) && !seedKeys.has(from)) counterparty.set(from, (counterparty.get(from) ?? 0n) + value);
  }
  const byCounterpartyValue = (a: string, b: string): number => {
    const d = (counterparty.get(b) ?? 0n) - (counterparty.get(a) ?? 0n);
    return d > 0n ? 1 : d < 0n ? -1 : a < b ? -1 : a > b ? 1 : 0;
  };
  const nearSeeds = [...counterparty.keys()].sort(byCounterpartyValue).slice(0, MAX_SEED_COUNTERPARTIES);
  const rest = [...weight.keys()].filter((k) => !seedKeys.has(k)).sort(byWeight);
  const chosen = [...new Set([...seedsFirst.slice(0, MAX_NODES), ...nearSeeds, ...rest])].slice(0, MAX_NODES);
  const shown = new Set(chosen);
  const edges = [...flows]
    .map(([key, value]) => {
      const [from, to] = key.split('\n') as [string, string];
      return { from, to, value };
    })
    .filter((e) => shown.has(e.from) && shown.has(e.to))
    .sort((a, b) => (b.value > a.value ? 1 : b.value < a.value ? -1 : a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : 1))
    .slice(0, MAX_EDGES);
  const seedsIn = new Map<string, number>();
  for (const seed of evidence.seeds.keys()) seedsIn.set(keyOf(seed), (seedsIn.get(keyOf(seed)) ?? 0) + 1);
  const nodes = chosen.map((key) => describe(key, evidence, seedsIn.get(key) ?? 0, weight.get(key) ?? 0n));
  return { nodes, edges, leftOut: weight.size - chosen.length };
}

function describe(key: string, evidence: CollectedEvidence, seeds: number, weight: bigint): FigureNode {
  const facts = evidence.entities.get(key);
  const name = facts?.entity.label ?? (facts ? `entity ${key.slice(0, 10)}` : `${key.slice(0, 12)}…`);
  const holdsSeeds = seeds > 0;
  const label = holdsSeeds ? `${name}: ${seeds} seized address${seeds === 1 ? '' : 'es'}` : name;
  const category = facts?.entity.category ?? null;
  const role: Role = holdsSeeds ? 'seeds' : category === 'exchange' ? 'exchange' : category !== null || facts?.entity.label ? 'tagged' : 'other';
  const detail = facts ? `${facts.entity.size.toLocaleString('en-US')} address${facts.entity.size === 1 ? '' : 'es'}${category ? `, ${category}` : ''}` : 'unclustered address';
  return { key, label, detail, role, weight };
}

function scale(v: bigint, max: bigint): number {
  return Math.sqrt(Number((v * 10_000n) / max) / 10_000);
}

/** Area grows with the money through the node; the seeds' entities are never too small to see. */
function radius(node: FigureNode, maxNode: bigint): number {
  return Math.max(node.role === 'seeds' ? 11 : 6, 6 + 16 * scale(node.weight, maxNode));
}

/** The figure as a standalone SVG document. */
export function entityFigureSvg(figure: EntityFigure, title: string): string {
  const width = FIGURE_WIDTH;
  const height = FIGURE_HEIGHT;
  const index = new Map(figure.nodes.map((n, i) => [n.key, i]));
  const points = forceLayout(
    figure.nodes.length,
    figure.edges.map((e) => ({ source: index.get(e.from) as number, target: index.get(e.to) as number })),
    width,
    height - 120,
  ).map((p) => ({ x: p.x, y: p.y + 60 }));
  const maxEdge = figure.edges.reduce((m, e) => (e.value > m ? e.value : m), 1n);
  const maxNode = figure.nodes.reduce((m, n) => (n.weight > m ? n.weight : m), 1n);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Arial, sans-serif">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>',
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="20" y="30" font-size="18" font-weight="bold">${xmlEscape(title)}</text>`,
    `<text x="20" y="50" font-size="12" fill="#444">Payments between entities in the cited transactions (BTC), as recorded on chain; not a flow model.${figure.leftOut > 0 ? ` ${figure.leftOut} smaller counterparties not shown.` : ''}</text>`,
  ];
  for (const edge of figure.edges) {
    const a = points[index.get(edge.from) as number]!;
    const b = points[index.get(edge.to) as number]!;
    const r = radius(figure.nodes[index.get(edge.to) as number]!, maxNode);
    const length = Math.max(1, Math.hypot(b.x - a.x, b.y - a.y));
    const end = { x: Math.round((b.x - ((b.x - a.x) / length) * r) * 10) / 10, y: Math.round((b.y - ((b.y - a.y) / length) * r) * 10) / 10 };
    const stroke = (0.8 + 5 * scale(edge.value, maxEdge)).toFixed(1);
    out.push(`<line x1="${a.x}" y1="${a.y}" x2="${end.x}" y2="${end.y}" stroke="#555" stroke-opacity="0.55" stroke-width="${stroke}" marker-end="url(#arrow)"><title>${xmlEscape(`${formatBtc(edge.value)} BTC`)}</title></line>`);
  }
  figure.nodes.forEach((node, i) => {
    const p = points[i]!;
    const r = radius(node, maxNode).toFixed(1);
    out.push(
      `<g><circle cx="${p.x}" cy="${p.y}" r="${r}" fill="${COLOURS[node.role]}" stroke="#222" stroke-width="0.8"><title>${xmlEscape(`${node.key}: ${node.detail}`)}</title></circle>`,
      `<text x="${p.x}" y="${(p.y - Number(r) - 4).toFixed(1)}" font-size="11" text-anchor="middle">${xmlEscape(node.label)}</text></g>`,
    );
  });
  const roles = (Object.keys(COLOURS) as Role[]).filter((r) => figure.nodes.some((n) => n.role === r));
  roles.forEach((role, i) => {
    const y = height - 20 - (roles.length - 1 - i) * 18;
    out.push(`<circle cx="30" cy="${y - 4}" r="6" fill="${COLOURS[role]}"/><text x="42" y="${y}" font-size="12">${ROLE_NAMES[role]}</text>`);
  });
  out.push('</svg>', '');
  return out.join('\n');
}
