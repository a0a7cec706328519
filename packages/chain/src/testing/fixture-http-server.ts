import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Fault, FaultPlan } from './fault-plan.js';

export interface FixtureRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface FixtureAnswer {
  readonly status: number;
  readonly body: string;
  readonly contentType?: string;
}

/**
 * How a server answers one request: `target` names it for fault rules and hit counts (a
 * path, an RPC method); `answer(tampered)` builds the answer, altered when a `tamper` fault
 * applies.
 */
export type FixtureRoute = (request: FixtureRequest) => { readonly target: string; readonly answer: (tampered: boolean) => FixtureAnswer };

export interface LoggedRequest {
  readonly target: string;
  readonly method: string;
  readonly path: string;
  readonly fault?: Fault['kind'];
}

export interface FixtureServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: readonly LoggedRequest[];
  /** Requests whose target equals or matches `target`; all requests without it. */
  hits(target?: string | RegExp): number;
  close(): Promise<void>;
}

/** A node:http server on 127.0.0.1 (a free port) answering through `route`, with faults from `faults`. */
export async function startFixtureHttpServer(route: FixtureRoute, faults: FaultPlan): Promise<FixtureServer> {
  const requests: LoggedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: FixtureRequest = {
        method: req.method ?? 'GET',
        path: decodeURIComponent(new URL(req.url ?? '/', 'http://fixture').pathname),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      let handled;
      try {
        handled = route(request);
      } catch (error) {
        send(res, { status: 500, body: error instanceof Error ? error.message : String(error) });
        return;
      }
      const fault = faults.take(handled.target);
      requests.push({ target: handled.target, method: request.method, path: request.path, ...(fault ? { fault: fault.kind } : {}) });
      if (!fault) {
        send(res, handled.answer(false));
        return;
      }
      switch (fault.kind) {
        case 'status':
          res.writeHead(fault.status, {
            'content-type': 'text/plain',
            ...(fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter }),
          });
          res.end(fault.body ?? '');
          return;
        case 'slow': {
          const timer = setTimeout(() => {
            timers.delete(timer);
            if (!res.destroyed) send(res, handled.answer(false));
          }, fault.delayMs);
          timers.add(timer);
          return;
        }
        case 'truncate': {
          const answer = handled.answer(false);
          const body = Buffer.from(answer.body, 'utf8');
          res.writeHead(answer.status, { 'content-type': answer.contentType ?? 'text/plain', 'content-length': body.length });
          res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.destroy());
          return;
        }
        case 'short-body': {
          const answer = handled.answer(false);
          send(res, { ...answer, body: answer.body.slice(0, Math.floor(answer.body.length / 2)) });
          return;
        }
        case 'reset':
          req.socket.destroy();
          return;
        case 'tamper':
          send(res, handled.answer(true));
          return;
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    hits: (target) => requests.filter((r) => target === undefined || (typeof target === 'string' ? r.target === target : target.test(r.target))).length,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, answer: FixtureAnswer): void {
  const body = Buffer.from(answer.body, 'utf8');
  res.writeHead(answer.status, { 'content-type': answer.contentType ?? 'text/plain', 'content-length': body.length });
  res.end(body);
}
