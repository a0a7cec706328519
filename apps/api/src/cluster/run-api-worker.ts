/**
 * `runApiWorker`: one worker of a multi-worker API server (see start-api-cluster.ts). It
 * serves with its own store connection; audit entries and rate-limit hits go to the
 * primary; it stops when the primary says so or goes away. Ctrl-C reaches every process
 * of the terminal's group: a worker ignores it and lets the primary stop it in order.
 */
import cluster from 'node:cluster';
import { ApiWorkerError, ClusterChannelError } from '../errors.js';
import { buildApiServer, type ApiServerOptions } from '../http/build-api-server.js';
import { DEFAULT_VIEWER_DIR, listenPlan } from '../http/start-api-server.js';
import { isPrimaryMessage, type WorkerMessage } from './cluster-messages.js';
import { ipcRateLimitStore } from './ipc-rate-limit-store.js';
import { WorkerCalls } from './worker-calls.js';

export interface RunApiWorkerOptions extends Omit<ApiServerOptions, 'audit' | 'allowedHostnames' | 'anonymous' | 'rateLimitStore'> {
  readonly host?: string;
  readonly port?: number;
  readonly auth?: boolean;
}

/** Serves until the primary stops this worker; resolves once the server is closed. */
export async function runApiWorker(options: RunApiWorkerOptions): Promise<void> {
  const channel = process.send?.bind(process);
  if (!cluster.isWorker || channel === undefined) throw new ApiWorkerError('runApiWorker was called outside a worker process');
  const send = (message: WorkerMessage): void => {
    if (!process.connected) throw new ClusterChannelError('the channel to the primary is closed');
    channel(message);
  };
  const calls = new WorkerCalls(send);
  const plan = listenPlan(options);
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  let initialised: () => void = () => undefined;
  const init = new Promise<void>((resolve) => (initialised = resolve));

  const onMessage = (message: unknown): void => {
    if (!isPrimaryMessage(message)) return;
    switch (message.chaintrail) {
      case 'init':
        options.tokens.adoptSessions(message.sessions);
        initialised();
        break;
      case 'replies':
        calls.settle(message.replies);
        break;
      case 'session-revoked':
        options.tokens.revoke(message.id, new Date(message.revokedAt));
        break;
      case 'shutdown':
        stop();
        break;
    }
  };
  const onDisconnect = (): void => {
    calls.close();
    initialised();
    stop();
  };
  const ignoreInterrupt = (): void => undefined;
  process.on('message', onMessage);
  process.on('disconnect', onDisconnect);
  process.on('SIGINT', ignoreInterrupt);
  options.tokens.onSessionRevoked((id, revokedAt) => {
    try {
      send({ chaintrail: 'session-revoked', id, revokedAt });
    } catch {
      // The primary is gone: this worker is stopping anyway.
    }
  });
  try {
    send({ chaintrail: 'ready' });
    await init;
    if (!process.connected) return;
    const app = await buildApiServer({
      ...options,
      viewerDir: options.viewerDir ?? DEFAULT_VIEWER_DIR,
      ...plan.guards,
      audit: calls,
      rateLimitStore: ipcRateLimitStore(calls),
    });
    try {
      await app.listen({ host: plan.host, port: plan.port });
      const address = app.server.address();
      send({ chaintrail: 'listening', port: typeof address === 'object' && address !== null ? address.port : plan.port });
      await stopped;
    } finally {
      await app.close();
    }
  } finally {
    process.off('message', onMessage);
    process.off('disconnect', onDisconnect);
    process.off('SIGINT', ignoreInterrupt);
    // An open IPC channel keeps the process alive: let go, so the worker exits once its caller has closed the store.
    if (process.connected) process.disconnect();
  }
}
