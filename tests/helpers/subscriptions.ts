/** A graphql-ws client on a real WebSocket, as a dashboard would open one, for tests of `changeAdded`. */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** What a subscription's sink received: each result in order, then how it ended, if it has. */
export interface Received {
  results: { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] }[];
  /** A CloseEvent (code, reason), or the GraphQL errors of an `error` message. */
  error: unknown;
  completed: boolean;
}

export interface LiveConnection {
  client: Client;
  /** Resolves on the socket's first close, with its code and reason. */
  closed: Promise<{ code: number; reason: string }>;
  /** Resolves when the server acknowledged the connection (never, when it refused it). */
  acknowledged: Promise<void>;
  subscribe(query: string, variables?: Record<string, unknown>): Received;
}

/** Connects lazily, on the first subscription, and never retries: a refusal is seen as it is. */
export function connect(httpUrl: string, connectionParams?: Record<string, unknown>): LiveConnection {
  let closedWith!: (event: { code: number; reason: string }) => void;
  let acknowledge!: () => void;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (closedWith = resolve));
  const acknowledged = new Promise<void>((resolve) => (acknowledge = resolve));
  const client = createClient({
    url: `${httpUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    on: {
      connected: () => acknowledge(),
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        closedWith({ code, reason });
      },
    },
  });
  return {
    client,
    closed,
    acknowledged,
    subscribe(query, variables = {}) {
      const received: Received = { results: [], error: undefined, completed: false };
      client.subscribe(
        { query, variables },
        {
          next: (result) => received.results.push(result as Received['results'][number]),
          error: (error) => (received.error = error),
          complete: () => (received.completed = true),
        },
      );
      return received;
    },
  };
}

/** Polls until `condition` holds, or fails after `timeoutMs` saying what it waited for. */
export async function until(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
