/**
 * The viewer's only way to the data: the chaintrail API over HTTP with a bearer token.
 * Every call has a timeout (nothing hangs on a slow API), can be cancelled, and fails with
 * a ViewerApiError carrying the API's code and a message that says what to do.
 */
import type { EvidenceExportBody, EvidenceExportJson } from './evidence-wire-types.js';
import type { FlowReportJson, PayerReportJson } from './report-wire-types.js';
import { RequestQueue, type Priority } from './request-queue.js';
import { ViewerApiError } from './viewer-api-error.js';
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
} from './wire-types.js';

export interface ApiClientOptions {
  /** Origin of the API; '' for the page's own (the built viewer is served by the API). */
  readonly baseUrl?: string;
  readonly token: string;
  readonly fetch?: typeof fetch;
  /** Per request, in milliseconds (default 20 s; path searches get three times that). */
  readonly timeoutMs?: number;
  readonly maxInFlight?: number;
  /** 429 answers are retried after Retry-After this many times. */
  readonly rateLimitRetries?: number;
  /** Waits (for Retry-After); replaced in tests. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface CallOptions {
  readonly signal?: AbortSignal | undefined;
  readonly priority?: Priority;
  readonly timeoutMs?: number;
}

export interface NeighbourQuery {
  readonly direction: 'in' | 'out' | 'both';
  readonly limit?: number;
  readonly minValue?: bigint | null;
  readonly fromTime?: number | null;
  readonly toTime?: number | null;
  readonly order?: 'time' | 'value';
}

export interface PathQuery {
  readonly kind: 'address' | 'entity';
  readonly from: string;
  readonly to: string;
  readonly direction: 'in' | 'out' | 'both';
  readonly maxHops?: number;
  readonly minValue?: bigint | null;
}

export interface PayerReportQuery {
  readonly hopLimit?: number;
  /** Share a service must account for to be attributed, as the API reads it: `0.9`. */
  readonly minShare?: string;
}

export interface FlowReportQuery {
  /** Entity ids or addresses; empty with `fromSeeds`. */
  readonly from: readonly string[];
  readonly fromSeeds: boolean;
  readonly hopLimit?: number;
}

/** Reports walk many transactions on the server; they get this many times the usual timeout. */
const REPORT_TIMEOUT_FACTOR = 6;
/** An evidence bundle gathers proofs and renders a PDF on the server. */
const EVIDENCE_TIMEOUT_FACTOR = 15;

type Query = Record<string, string | number | bigint | null | undefined>;

export class ApiClient {
  private readonly baseUrl: string;
  private readonly token: string;
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly queue: RequestQueue;

  constructor(options: ApiClientOptions) {
    this.baseUrl = (options.baseUrl ?? '').replace(/\/$/, '');
    this.token = options.token;
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? 20_000;
    this.retries = options.rateLimitRetries ?? 2;
    this.sleep = options.sleep ?? sleepFor;
    this.queue = new RequestQueue(options.maxInFlight ?? 6);
  }

  session(options?: CallOptions): Promise<SessionJson> {
    return this.get('/api/session', {}, options);
  }

  cases(options?: CallOptions): Promise<{ cases: CaseJson[] }> {
    return this.get('/api/cases', {}, options);
  }

  seeds(caseId: string, page: { limit: number; cursor?: string | null }, options?: CallOptions): Promise<PageJson<SeedJson>> {
    return this.get(`/api/cases/${enc(caseId)}/seeds`, { limit: page.limit, cursor: page.cursor }, options);
  }

  jobs(caseId: string, options?: CallOptions): Promise<{ jobs: JobJson[] }> {
    return this.get(`/api/cases/${enc(caseId)}/jobs`, {}, options);
  }

  search(text: string, limit: number, options?: CallOptions): Promise<{ results: SearchResultJson[] }> {
    return this.get('/api/search', { q: text, limit }, options);
  }

  address(address: string, options?: CallOptions): Promise<AddressSummaryJson> {
    return this.get(`/api/addresses/${enc(address)}`, {}, options);
  }

  transaction(txid: string, options?: CallOptions): Promise<TransactionJson> {
    return this.get(`/api/transactions/${enc(txid)}`, {}, options);
  }

  entity(entityId: string, options?: CallOptions): Promise<EntityJson> {
    return this.get(`/api/entities/${enc(entityId)}`, {}, options);
  }

  entityMembers(entityId: string, page: { limit: number; cursor?: string | null }, options?: CallOptions): Promise<PageJson<string>> {
    return this.get(`/api/entities/${enc(entityId)}/members`, { limit: page.limit, cursor: page.cursor }, options);
  }

  neighbours(node: NodeRef, query: NeighbourQuery, options?: CallOptions): Promise<NeighbourResultJson> {
    return this.get(
      `/api/nodes/${node.kind}/${enc(node.id)}/neighbours`,
      { direction: query.direction, limit: query.limit, minValue: query.minValue, fromTime: query.fromTime, toTime: query.toTime, order: query.order },
      options,
    );
  }

  tags(node: NodeRef, options?: CallOptions): Promise<{ tags: TagJson[] }> {
    return this.get(`/api/nodes/${node.kind}/${enc(node.id)}/tags`, {}, options);
  }

  path(query: PathQuery, options?: CallOptions): Promise<{ path: GraphPathJson | null }> {
    return this.get(
      '/api/paths',
      { kind: query.kind, from: query.from, to: query.to, direction: query.direction, maxHops: query.maxHops, minValue: query.minValue },
      { timeoutMs: this.timeoutMs * 3, ...options },
    );
  }

  clusterExplanation(a: string, b: string, options?: CallOptions): Promise<{ explanation: ClusterExplanationJson | null }> {
    return this.get('/api/cluster-explanation', { a, b }, options);
  }

  annotations(caseId: string, options?: CallOptions): Promise<{ annotations: AnnotationJson[] }> {
    return this.get(`/api/cases/${enc(caseId)}/annotations`, {}, options);
  }

  createAnnotation(caseId: string, body: { target: NodeRef; text: string; colour: AnnotationColour | null }, options?: CallOptions): Promise<AnnotationJson> {
    return this.send('POST', `/api/cases/${enc(caseId)}/annotations`, body, options);
  }

  updateAnnotation(caseId: string, annotationId: string, body: { text?: string; colour?: AnnotationColour | null }, options?: CallOptions): Promise<AnnotationJson> {
    return this.send('PATCH', `/api/cases/${enc(caseId)}/annotations/${enc(annotationId)}`, body, options);
  }

  deleteAnnotation(caseId: string, annotationId: string, options?: CallOptions): Promise<{ deleted: string }> {
    return this.send('DELETE', `/api/cases/${enc(caseId)}/annotations/${enc(annotationId)}`, undefined, options);
  }

  views(caseId: string, options?: CallOptions): Promise<{ views: SavedViewJson[] }> {
    return this.get(`/api/cases/${enc(caseId)}/views`, {}, options);
  }

  view(caseId: string, viewId: string, options?: CallOptions): Promise<SavedViewJson> {
    return this.get(`/api/cases/${enc(caseId)}/views/${enc(viewId)}`, {}, options);
  }

  saveView(caseId: string, body: { name: string; state: unknown }, options?: CallOptions): Promise<SavedViewJson> {
    return this.send('POST', `/api/cases/${enc(caseId)}/views`, body, options);
  }

  replaceView(caseId: string, viewId: string, body: { name: string; state: unknown }, options?: CallOptions): Promise<SavedViewJson> {
    return this.send('PUT', `/api/cases/${enc(caseId)}/views/${enc(viewId)}`, body, options);
  }

  deleteView(caseId: string, viewId: string, options?: CallOptions): Promise<{ deleted: string }> {
    return this.send('DELETE', `/api/cases/${enc(caseId)}/views/${enc(viewId)}`, undefined, options);
  }

  payerReport(caseId: string, query: PayerReportQuery, options?: CallOptions): Promise<PayerReportJson> {
    return this.get(`/api/cases/${enc(caseId)}/reports/payers`, { hopLimit: query.hopLimit, minShare: query.minShare }, { timeoutMs: this.timeoutMs * REPORT_TIMEOUT_FACTOR, ...options });
  }

  flowReport(caseId: string, query: FlowReportQuery, options?: CallOptions): Promise<FlowReportJson> {
    return this.get(
      `/api/cases/${enc(caseId)}/reports/flows`,
      { from: query.from.length > 0 ? query.from.join(',') : undefined, fromSeeds: query.fromSeeds ? 'true' : undefined, hopLimit: query.hopLimit },
      { timeoutMs: this.timeoutMs * REPORT_TIMEOUT_FACTOR, ...options },
    );
  }

  /** An evidence bundle of the case (analyst role): the current view, a saved view or a report. */
  exportEvidence(caseId: string, body: EvidenceExportBody, options?: CallOptions): Promise<EvidenceExportJson> {
    return this.send('POST', `/api/cases/${enc(caseId)}/evidence`, body, { timeoutMs: this.timeoutMs * EVIDENCE_TIMEOUT_FACTOR, ...options });
  }

  private get<T>(path: string, query: Query, options: CallOptions = {}): Promise<T> {
    return this.request<T>('GET', path + queryString(query), undefined, options);
  }

  private send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body: unknown, options: CallOptions = {}): Promise<T> {
    return this.request<T>(method, path, body, { priority: 'interactive', ...options });
  }

  private request<T>(method: string, path: string, body: unknown, options: CallOptions): Promise<T> {
    const priority = options.priority ?? 'interactive';
    return this.queue.run(priority, options.signal, async () => {
      for (let attempt = 0; ; attempt++) {
        const response = await this.fetchOnce(method, path, body, options);
        if (response.status === 429 && attempt < this.retries) {
          const seconds = Number(response.headers.get('retry-after') ?? '1');
          await this.sleep(Math.min(30, Number.isFinite(seconds) && seconds > 0 ? seconds : 1) * 1000, options.signal);
          continue;
        }
        return readAnswer<T>(response, method, path);
      }
    });
  }

  private async fetchOnce(method: string, path: string, body: unknown, options: CallOptions): Promise<Response> {
    options.signal?.throwIfAborted();
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]);
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await this.fetchImpl(this.baseUrl + path, { method, headers, signal, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      const where = `${method} ${path.split('?')[0] ?? path}`;
      if (timeout.aborted) {
        throw new ViewerApiError('CHAINTRAIL_VIEWER_TIMEOUT', `The API did not answer ${where} within ${Math.round(timeoutMs / 1000)} s. It may be busy with a large store; try again, or narrow the request (fewer hops, a minimum value).`, { cause: error });
      }
      throw new ViewerApiError('CHAINTRAIL_VIEWER_NETWORK', `Cannot reach the chaintrail API (${where}). Is \`chaintrail serve\` still running? Start it again and open the new login URL.`, { cause: error });
    }
  }
}

async function readAnswer<T>(response: Response, method: string, path: string): Promise<T> {
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (response.ok) {
    if (json === undefined) throw new ViewerApiError('CHAINTRAIL_VIEWER_BAD_RESPONSE', `The API answered ${method} ${path.split('?')[0] ?? path} with something that is not JSON (HTTP ${response.status}).`, { status: response.status });
    return json as T;
  }
  const error = (json as Partial<ErrorBodyJson> | undefined)?.error;
  if (error !== undefined && typeof error.code === 'string') {
    throw new ViewerApiError(error.code, error.message, { status: response.status, field: error.field ?? null, requestId: error.requestId });
  }
  throw new ViewerApiError('CHAINTRAIL_VIEWER_BAD_RESPONSE', `The API answered ${method} ${path.split('?')[0] ?? path} with HTTP ${response.status} and no error details.`, { status: response.status });
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

function queryString(query: Query): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  }
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

/** Why a signal aborted, as an Error (AbortSignal.reason may be anything). */
function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException(String(signal.reason ?? 'aborted'), 'AbortError');
}

function sleepFor(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(abortReason(signal));
      },
      { once: true },
    );
  });
}
