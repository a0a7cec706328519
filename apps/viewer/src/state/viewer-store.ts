/**
 * The viewer's state (zustand). The graph itself is a mutable GraphModel held here;
 * `graphVersion` changes whenever it does, which is what components subscribe to.
 */
import { create } from 'zustand';
import type { AnnotationJson, CaseJson, JobJson, SavedViewJson, SearchResultJson, SeedJson, SessionJson } from '../api/wire-types.js';
import { NO_FILTERS, type GraphFilters } from '../graph/graph-filters.js';
import { GraphModel } from '../graph/graph-model.js';
import type { NodeKey } from '../graph/node-key.js';
import type { ViewTransform } from '../render/scene.js';
import type { EvidenceResult } from './evidence-result.js';
import type { NodePanel } from './node-panel.js';
import { initialReportsState, type ReportsState } from './report-state.js';

export interface Task {
  readonly id: number;
  readonly label: string;
  readonly cancel: () => void;
  /** e.g. "12 requests, 40 nodes" while it runs. */
  readonly progress: string | null;
}

export interface Message {
  readonly id: number;
  readonly tone: 'error' | 'info' | 'success';
  readonly text: string;
}

export interface ExpandSettings {
  readonly hops: number;
  /** BTC as typed; '' for none. */
  readonly minValueText: string;
  readonly perNodeLimit: number;
}

export interface PathHighlight {
  readonly nodes: ReadonlySet<NodeKey>;
  readonly edges: ReadonlySet<string>;
  readonly description: string;
}

/** A saved view waiting for the canvas to take its positions and zoom as they are. */
export interface PendingRestore {
  readonly positions: ReadonlyMap<NodeKey, readonly [number, number]>;
  readonly transform: ViewTransform;
  readonly token: number;
}

export interface SearchState {
  readonly text: string;
  readonly results: SearchResultJson[] | null;
  readonly loading: boolean;
  readonly error: string | null;
}

export interface ViewerState {
  readonly phase: 'signed-out' | 'signing-in' | 'ready';
  readonly session: SessionJson | null;
  readonly signInError: string | null;
  readonly cases: CaseJson[] | null;
  readonly casesError: string | null;
  readonly caseId: string | null;
  readonly seeds: SeedJson[];
  readonly seedsNext: string | null;
  readonly seedsError: string | null;
  readonly seedSet: ReadonlySet<string>;
  readonly siteEntities: ReadonlySet<string>;
  readonly jobs: JobJson[] | null;
  readonly model: GraphModel;
  readonly graphVersion: number;
  readonly filters: GraphFilters;
  readonly selection: readonly NodeKey[];
  readonly path: PathHighlight | null;
  readonly annotations: ReadonlyMap<NodeKey, AnnotationJson[]>;
  readonly views: SavedViewJson[] | null;
  readonly currentView: { readonly id: string; readonly name: string } | null;
  readonly tasks: readonly Task[];
  readonly messages: readonly Message[];
  readonly expand: ExpandSettings;
  readonly panel: NodePanel | null;
  readonly restore: PendingRestore | null;
  readonly search: SearchState;
  readonly helpOpen: boolean;
  readonly reports: ReportsState;
  /** The last evidence bundle exported in this session. */
  readonly evidence: EvidenceResult | null;
}

type CaseScopedKey =
  | 'seeds' | 'seedsNext' | 'seedsError' | 'seedSet' | 'siteEntities' | 'jobs' | 'model' | 'filters' | 'selection'
  | 'path' | 'annotations' | 'views' | 'currentView' | 'panel' | 'restore' | 'evidence';

/** What belongs to the open case: empty before any case is open, and again whenever another one opens. */
export const emptyCaseState = (): Pick<ViewerState, CaseScopedKey> => ({
  seeds: [],
  seedsNext: null,
  seedsError: null,
  seedSet: new Set(),
  siteEntities: new Set(),
  jobs: null,
  model: new GraphModel(),
  filters: NO_FILTERS,
  selection: [],
  path: null,
  annotations: new Map(),
  views: null,
  currentView: null,
  panel: null,
  restore: null,
  evidence: null,
});

export const initialViewerState = (): ViewerState => ({
  ...emptyCaseState(),
  phase: 'signed-out',
  session: null,
  signInError: null,
  cases: null,
  casesError: null,
  caseId: null,
  graphVersion: 0,
  tasks: [],
  messages: [],
  expand: { hops: 1, minValueText: '', perNodeLimit: 25 },
  search: { text: '', results: null, loading: false, error: null },
  helpOpen: false,
  reports: initialReportsState(),
});

export const useViewerStore = create<ViewerState>()(() => initialViewerState());

export type ViewerStore = typeof useViewerStore;

let nextId = 1;

export function newId(): number {
  return nextId++;
}

/** Shows a message; errors stay until dismissed, the others go after a while. */
export function postMessage(store: ViewerStore, tone: Message['tone'], text: string): void {
  const id = newId();
  store.setState((s) => ({ messages: [...s.messages.slice(-2), { id, tone, text }] }));
  if (tone !== 'error') setTimeout(() => dismissMessage(store, id), 6000);
}

export function dismissMessage(store: ViewerStore, id: number): void {
  store.setState((s) => ({ messages: s.messages.filter((m) => m.id !== id) }));
}

/** Tells subscribers the graph model changed. */
export function graphChanged(store: ViewerStore): void {
  store.setState((s) => ({ graphVersion: s.graphVersion + 1 }));
}
