/**
 * `startApiCluster`: the primary of a multi-worker API server (node:cluster). The workers
 * answer the requests, each with its own store connection (SQLite in WAL mode takes
 * several readers at once, and writers queue on its busy timeout; Neo4j has its own
 * pool); the primary shares the listening socket among them and keeps what must be one:
 *
 * - the audit log: workers send each request's entry over IPC and the primary chains and
 *   writes them in the order they arrive (group commit), so there is one hash chain and
 *   `chaintrail audit verify` passes; a worker answers only once the primary confirms;
 * - the rate-limit counters, so a token's limit is the same whatever worker serves it;
 * - the session token of the login URL, created here and handed to every worker (its hash
 *   only), and revocations of it, passed on to every worker.
 *
 * Tokens in the token file need nothing: every worker re-reads the file when it changes.
 * A worker that dies is replaced; the answers it had in flight are lost, never unaudited.
 */
import cluster, { type Worker } from 'node:cluster';
import { ChaintrailError, toError } from '@chaintrail/core';
import type { AuditLog } from '../audit/audit-log.js';
import type { TokenStore } from '../auth/token-store.js';
import { ApiWorkerError } from '../errors.js';
import { lifeEventRecord, listenPlan, serverUrl, type ServedApi } from '../http/start-api-server.js';
import type { Role } from '../schemas/access-schemas.js';
import { isWorkerMessage, type CallReply, type PrimaryMessage, type WorkerCall } from './cluster-messages.js';
import { RateWindowCounter } from './rate-window-counter.js';

export interface StartApiClusterOptions {
  /** Worker processes (at least 2; one worker is `startApiServer`). */
  readonly workers: number;
  readonly audit: AuditLog;
  readonly tokens: TokenStore;
  readonly host?: string;
  readonly port?: number;
  readonly auth?: boolean;
  readonly sessionRole?: Role | null;
  /** Whether the workers serve https (they read key and certificate themselves). */
  readonly tls?: boolean;
  /** For the audit log's start entry. */
  readonly storeLocation: string;
  /** The script each worker runs and its arguments; default: this process's own, which must call `runApiWorker` when `cluster.isWorker`. */
  readonly exec?: string;
  readonly args?: readonly string[];
  /** Told when a worker dies and is replaced. */
  readonly onWorkerLost?: (detail: string) => void;
  readonly startTimeoutMs?: number;
}

export interface RunningApiCluster extends ServedApi {
  readonly workers: number;
  /** The process ids of the workers now running. */
  workerPids(): number[];
}

const stopTimeoutMs = 10_000;

export async function startApiCluster(options: StartApiClusterOptions): Promise<RunningApiCluster> {
  if (!cluster.isPrimary) throw new ApiWorkerError('startApiCluster was called in a worker process');
  if (!Number.isInteger(options.workers) || options.workers < 2) throw new ApiWorkerError(`${options.workers} workers asked for; a multi-worker server needs at least 2`);
  const plan = listenPlan(options);
  const sessionRole = options.sessionRole === undefined ? 'analyst' : options.sessionRole;
  const session = plan.auth && sessionRole !== null ? options.tokens.createSession(sessionRole, 'serve session') : null;
  const counter = new RateWindowCounter();
  const { audit, tokens } = options;
  const running = new Set<Worker>();
  let closing = false;
  let boundPort: number | null = null;

  cluster.setupPrimary({ ...(options.exec !== undefined ? { exec: options.exec } : {}), ...(options.args !== undefined ? { args: [...options.args] } : {}) });

  const send = (worker: Worker, message: PrimaryMessage): void => {
    if (worker.isConnected()) worker.send(message);
  };
  const answer = async (worker: Worker, calls: readonly WorkerCall[]): Promise<void> => {
    // `map` runs in order: entries are chained in the order the worker made them.
    const replies = await Promise.all(calls.map((call) => answerCall(worker, call)));
    send(worker, { chaintrail: 'replies', replies });
  };
  const answerCall = async (worker: Worker, call: WorkerCall): Promise<CallReply> => {
    try {
      if (call.kind === 'audit') {
        await audit.record({ ...call.record, worker: worker.id });
        return { id: call.id, ok: true, value: null };
      }
      return { id: call.id, ok: true, value: counter.hit(call.key, call.timeWindow) };
    } catch (error) {
      const code = error instanceof ChaintrailError ? error.code : 'CHAINTRAIL_INTERNAL';
      return { id: call.id, ok: false, code, message: toError(error).message };
    }
  };

  let started: () => void = () => undefined;
  let failed: (error: Error) => void = () => undefined;
  const allListening = new Promise<void>((resolve, reject) => {
    started = resolve;
    failed = reject;
  });
  const listening = new Set<Worker>();

  const fork = (): Worker => {
    const worker = cluster.fork();
    running.add(worker);
    worker.on('message', (message: unknown) => {
      if (!isWorkerMessage(message)) return;
      switch (message.chaintrail) {
        case 'calls':
          void answer(worker, message.calls);
          break;
        case 'ready':
          send(worker, { chaintrail: 'init', sessions: tokens.sessionRecords() });
          break;
        case 'listening':
          boundPort = message.port;
          listening.add(worker);
          if (listening.size === options.workers) started();
          break;
        case 'session-revoked':
          tokens.revoke(message.id, new Date(message.revokedAt));
          for (const other of running) if (other !== worker) send(other, message);
          break;
      }
    });
    worker.on('exit', (code, signal) => {
      running.delete(worker);
      const wasListening = listening.delete(worker);
      if (closing) return;
      const detail = `worker ${worker.process.pid ?? '?'} exited (${signal ?? `code ${code}`})`;
      if (!wasListening && boundPort === null) {
        failed(new ApiWorkerError(`${detail} before it was listening`));
        return;
      }
      options.onWorkerLost?.(`${detail}; starting another`);
      fork();
    });
    return worker;
  };

  const stopWorkers = async (): Promise<void> => {
    closing = true;
    const exits = [...running].map(
      (worker) =>
        new Promise<void>((resolve) => {
          if (worker.isDead()) return resolve();
          const timer = setTimeout(() => worker.kill('SIGKILL'), stopTimeoutMs);
          worker.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          send(worker, { chaintrail: 'shutdown' });
        }),
    );
    await Promise.all(exits);
  };

  for (let i = 0; i < options.workers; i++) fork();
  const timeout = setTimeout(() => failed(new ApiWorkerError(`the workers were not all listening after ${(options.startTimeoutMs ?? 120_000) / 1000} s`)), options.startTimeoutMs ?? 120_000);
  try {
    await allListening;
  } catch (error) {
    await stopWorkers();
    if (session !== null) tokens.revoke(session.info.tokenId);
    throw error;
  } finally {
    clearTimeout(timeout);
  }

  const port = boundPort ?? plan.port;
  const url = serverUrl(plan.host, port, options.tls ?? false);
  audit.append(
    lifeEventRecord('start', {
      url,
      auth: plan.auth ? 'tokens' : 'off (loopback)',
      store: options.storeLocation,
      workers: String(options.workers),
      ...(session !== null ? { sessionToken: session.info.tokenId } : {}),
    }),
  );
  let closed = false;
  return {
    host: plan.host,
    port,
    url,
    loginUrl: session === null ? null : `${url}/#token=${session.token}`,
    sessionToken: session?.token ?? null,
    workers: options.workers,
    workerPids: () => [...running].map((worker) => worker.process.pid ?? 0),
    async close() {
      if (closed) return;
      closed = true;
      await stopWorkers();
      if (session !== null) tokens.revoke(session.info.tokenId);
      audit.append(lifeEventRecord('stop', { url }));
    },
  };
}
