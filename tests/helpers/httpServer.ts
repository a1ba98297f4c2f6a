/** The service served over real HTTP on a loopback port, for tests of what only HTTP shows (headers, CSRF, /metrics). */
import type { AddressInfo } from 'node:net';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../../src/context';
import type { Neo4jClient } from '../../src/db/neo4jClient';
import type { Logger } from '../../src/logger';
import type { Metrics } from '../../src/metrics';
import { createServer, type RunningServer, type ServerDeps } from '../../src/server';
import { silentLogger } from './graphql';

export interface HttpService {
  server: RunningServer;
  /** e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  stop(): Promise<void>;
}

/** createServer from src/server.ts listening on 127.0.0.1 on a free port. `stop` stops the server, not the client. */
export async function serveOnLoopback(
  options: { client: Neo4jClient; config?: ServerDeps['config']; logger?: Logger; metrics?: Metrics },
  plugins: ApolloServerPlugin<Context>[] = [],
): Promise<HttpService> {
  const server = await createServer(
    {
      config: options.config ?? { env: 'test', introspection: true },
      client: options.client,
      logger: options.logger ?? silentLogger,
      metrics: options.metrics,
    },
    plugins,
  );
  await new Promise<void>((resolve, reject) => {
    server.httpServer.once('error', reject);
    server.httpServer.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.httpServer.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, stop: () => server.apollo.stop() };
}

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: any;
}

async function read(response: Response): Promise<HttpResult> {
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** A GraphQL POST as a well-behaved client sends it: JSON body, JSON content type. */
export async function postGraphQL(
  url: string,
  body: { query: string; variables?: Record<string, unknown>; operationName?: string },
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  return read(
    await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    }),
  );
}

/** Any HTTP request, for the cases a well-behaved client would not send. */
export async function request(url: string, init: RequestInit = {}): Promise<HttpResult> {
  return read(await fetch(url, init));
}
