/**
 * The viewer mirrors the API's JSON shapes (apps/viewer/src/api/wire-types.ts) instead of
 * importing them, to keep zod and @chaintrail/core out of the browser bundle. This file
 * fails the root typecheck when they drift: every answer the API sends must fit the type
 * the viewer reads it as, and every body the viewer sends must fit what the API accepts.
 */
import type {
  addressSummarySchema,
  annotationCreateBody,
  annotationListSchema,
  annotationSchema,
  annotationUpdateBody,
  caseListSchema,
  clusterExplanationResultSchema,
  entityMembersPageSchema,
  entitySchema,
  errorBodySchema,
  jobListSchema,
  neighbourResultSchema,
  pathResultSchema,
  savedViewBody,
  savedViewListSchema,
  savedViewSchema,
  searchResultsSchema,
  seedPageSchema,
  sessionSchema,
  tagListSchema,
  transactionSchema,
} from '@chaintrail/api';
import type { FlowReport, PayerReport, Wire as ReportWire } from '@chaintrail/report';
import type { z } from 'zod';
import type { FlowReportJson, PayerReportJson } from '../../apps/viewer/src/api/report-wire-types.js';
import type {
  AddressSummaryJson,
  AnnotationColour,
  AnnotationJson,
  CaseJson,
  ClusterExplanationJson,
  EntityJson,
  ErrorBodyJson,
  GraphPathJson,
  JobJson,
  NeighbourResultJson,
  NodeRef,
  PageJson,
  SavedViewJson,
  SearchResultJson,
  SeedJson,
  SessionJson,
  TagJson,
  TransactionJson,
} from '../../apps/viewer/src/api/wire-types.js';

type Fits<From, To> = [From] extends [To] ? true : false;
type Wire<S extends z.ZodType> = z.input<S>;

export const answersFitTheViewer: [
  Fits<Wire<typeof sessionSchema>, SessionJson>,
  Fits<Wire<typeof caseListSchema>, { cases: CaseJson[] }>,
  Fits<Wire<typeof seedPageSchema>, PageJson<SeedJson>>,
  Fits<Wire<typeof jobListSchema>, { jobs: JobJson[] }>,
  Fits<Wire<typeof searchResultsSchema>, { results: SearchResultJson[] }>,
  Fits<Wire<typeof addressSummarySchema>, AddressSummaryJson>,
  Fits<Wire<typeof entitySchema>, EntityJson>,
  Fits<Wire<typeof entityMembersPageSchema>, PageJson<string>>,
  Fits<Wire<typeof neighbourResultSchema>, NeighbourResultJson>,
  Fits<Wire<typeof tagListSchema>, { tags: TagJson[] }>,
  Fits<Wire<typeof pathResultSchema>, { path: GraphPathJson | null }>,
  Fits<Wire<typeof clusterExplanationResultSchema>, { explanation: ClusterExplanationJson | null }>,
  Fits<Wire<typeof transactionSchema>, TransactionJson>,
  Fits<Wire<typeof annotationSchema>, AnnotationJson>,
  Fits<Wire<typeof annotationListSchema>, { annotations: AnnotationJson[] }>,
  Fits<Wire<typeof savedViewSchema>, SavedViewJson>,
  Fits<Wire<typeof savedViewListSchema>, { views: SavedViewJson[] }>,
  Fits<Wire<typeof errorBodySchema>, ErrorBodyJson>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true];

export const bodiesFitTheApi: [
  Fits<{ target: NodeRef; text: string; colour: AnnotationColour | null }, Wire<typeof annotationCreateBody>>,
  Fits<{ text?: string; colour?: AnnotationColour | null }, Wire<typeof annotationUpdateBody>>,
  Fits<{ name: string; state: { format: string; nodes: [string, number | null][] } }, Wire<typeof savedViewBody>>,
] = [true, true, true];

/**
 * The reports are served as @chaintrail/report builds them (`toWire`), so the viewer's
 * mirror is checked against the report package's own types rather than the API's loose
 * schema (which names only the header fields).
 */
export const reportsFitTheViewer: [Fits<ReportWire<PayerReport>, PayerReportJson>, Fits<ReportWire<FlowReport>, FlowReportJson>] = [true, true];
