/**
 * /graphql served straight from node:http, as Apollo's own integrations do (`executeHTTPGraphQLRequest`),
 * without Express's router in front: the overhead row of the bench showed the router, Express's response
 * helpers and their debug calls costing more per request than the whole GraphQL pipeline of a small query.
 * The same steps run as before, in the same order: request id, CORS, the JSON body parser, Apollo.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { beginRequest, type RequestInfo } from './requestContext';

/** A connect-style step: CORS, a body parser. It calls `next` to go on, with an error to stop. */
export type HttpStep = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

export interface GraphQLHttpOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  /** Run in order before Apollo; one may answer by itself (a CORS preflight) and not call `next`. */
  steps: HttpStep[];
  context(req: IncomingMessage, info: RequestInfo): Promise<TContext>;
  /** Answers an error a step raised (a body that is not JSON, or too large) or that Apollo threw. */
  onError(error: unknown, res: ServerResponse): void;
}

/** The path GraphQL is served on, and any path under it, as `app.use('/graphql', ...)` matched. */
export function isGraphQLPath(url: string | undefined): boolean {
  const path = (url ?? '').split('?', 1)[0]!;
  return path === '/graphql' || path.startsWith('/graphql/');
}

export function graphqlHttpHandler<TContext extends BaseContext>(options: GraphQLHttpOptions<TContext>) {
  const { apollo, steps, onError } = options;

  async function execute(req: IncomingMessage & { body?: unknown }, res: ServerResponse, info: RequestInfo): Promise<void> {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: (req.method ?? 'GET').toUpperCase(),
        headers,
        search: query >= 0 ? url.slice(query) : '',
        body: req.body,
      },
      context: () => options.context(req, info),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    const info = beginRequest(req, res);
    const fail = (error: unknown) => {
      if (res.headersSent) res.destroy();
      else onError(error, res);
    };
    const step = (index: number) => (error?: unknown) => {
      if (error !== undefined) {
        fail(error);
        return;
      }
      const next = steps[index];
      if (next) next(req, res, step(index + 1));
      else execute(req, res, info).catch(fail);
    };
    step(0)();
  };
}
