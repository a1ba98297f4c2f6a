/**
 * The framework's own cost, for the overhead row: a bare Apollo Server 5 as its documentation starts one
 * (`startStandaloneServer`), in production mode (bench/env.ts), with a one-field schema and no plugins.
 */
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import type { RunningTarget } from './common';

export async function startBareApollo(): Promise<RunningTarget> {
  let inFlight = 0;
  const server = new ApolloServer({
    typeDefs: 'type Query { ok: Boolean }',
    resolvers: { Query: { ok: () => true } },
    plugins: [
      {
        requestDidStart: async () => {
          inFlight += 1;
          return { willSendResponse: async () => void (inFlight -= 1) };
        },
      },
    ],
  });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return {
    endpoint: () => url,
    inFlight: () => inFlight,
    stop: () => server.stop(),
  };
}
