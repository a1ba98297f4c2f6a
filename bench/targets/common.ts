import type http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A benchmark target: an HTTP server on 127.0.0.1 and how to send it one operation. */
export interface RunningTarget {
  /** The URL to POST an operation to, e.g. http://127.0.0.1:41234/graphql. */
  endpoint(operation: string): string;
  /** Operations started and not yet answered. */
  inFlight(): number;
  stop(): Promise<void>;
}

export async function listenOnLoopback(server: http.Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/** Closes a server and its keep-alive connections; resolves even if it was already closed. */
export function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * Operations a server has started and not yet answered. The targets share this process, so a run must not
 * start while the previous target is still working through requests that the load generator gave up on.
 */
export class InFlight {
  count = 0;

  /** For Apollo Server: counts from the start of a GraphQL request to its response. */
  apolloPlugin() {
    return {
      requestDidStart: async () => {
        this.count += 1;
        let done = false;
        return {
          willSendResponse: async () => {
            if (!done) {
              done = true;
              this.count -= 1;
            }
          },
        };
      },
    };
  }
}
