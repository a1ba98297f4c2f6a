/**
 * GraphQL subscriptions over WebSocket (graphql-ws, the `graphql-transport-ws` protocol) on the HTTP
 * server's `/graphql` path, set up as Apollo Server documents it: a `ws` server beside Express, graphql-ws's
 * `useServer`, and a plugin that disposes of it when Apollo drains. Queries and mutations stay on HTTP
 * POST, where the Apollo plugins (authorization, metrics, limits) see them: a connection carries
 * subscriptions only.
 *
 * A connection authenticates once, with `connectionParams.authorization` ("Bearer <token>"), and is closed
 * with 4401 (no valid credential) or 4403 (no role) when reads need one. Every event of a subscription
 * resolves in a request context of its own, as an HTTP request would (fresh loaders, so a fact read for
 * one change is not the stale copy of an earlier one).
 */
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import {
  createSourceEventStream,
  execute,
  getOperationAST,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import type { Context as ConnectionContext } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Authenticator, Principal } from './auth';
import { createContext, type Context, type Services } from './context';
import { logUnexpectedErrors } from './errorReporting';
import type { Neo4jClient } from './db/neo4jClient';
import { badUserInput, ErrorCode, serviceUnavailable, unauthenticated } from './errors';
import { SUBSCRIPTIONS } from './limits';
import { nameTokenLimit, type OperationLimitsSetup } from './operationLimits';
import type { Logger } from './logger';
import { projectionOf } from './planner/selection';
import type { Projection } from './models/plan';

export interface SubscriptionDeps {
  httpServer: http.Server;
  schema: GraphQLSchema;
  client: Neo4jClient;
  logger: Logger;
  services: Services;
  authenticator: Authenticator;
  /** The browser origins allowed besides the page's own (CORS_ORIGINS), as for HTTP. */
  corsOrigins: '*' | string[];
  /** The same formatting as HTTP responses get: codes, no stack traces (`formatError` in src/server.ts). */
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  /** The operation limits HTTP requests get (src/operationLimits.ts): tokens, depth, aliases, directives, cost. */
  operationLimits: Omit<OperationLimitsSetup<Context>, 'plugin'>;
}

export interface SubscriptionServer {
  /** Closes every WebSocket (1001, going away) and stops taking new ones when Apollo Server drains. */
  drainPlugin: ApolloServerPlugin<Context>;
}

/**
 * A subscription sent over HTTP would run its resolver with no event and fail as an internal error: it is a
 * client's mistake, refused as BAD_REQUEST with where to send it instead.
 */
export const subscriptionsOverWebSocketOnly: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation }) {
        if (operation?.operation !== 'subscription') return;
        throw new GraphQLError(
          'Subscriptions are served over WebSocket (the graphql-ws protocol) on /graphql; HTTP carries queries and mutations.',
          { extensions: { code: ApolloServerErrorCode.BAD_REQUEST, http: { status: 400 } } },
        );
      },
    };
  },
};

/** Where WebSocket connections are taken: the GraphQL path, as for HTTP. */
const GRAPHQL_PATH = '/graphql';

/** Close codes of a refused connection, as graphql-ws's own (4401 Unauthorized, 4403 Forbidden). */
export const CLOSE_UNAUTHENTICATED = 4401;
export const CLOSE_FORBIDDEN = 4403;

/** What one acknowledged connection holds. */
interface Connection {
  principal: Principal | null;
  subscriptions: Set<string>;
}

/** A WebSocket close reason is at most 123 bytes of UTF-8. */
function closeReason(message: string): string {
  let reason = message;
  while (Buffer.byteLength(reason, 'utf8') > 123) reason = `${reason.slice(0, reason.length - 2)}…`;
  return reason;
}

function withCode(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, code },
  });
}

const badRequest = (message: string) => new GraphQLError(message, { extensions: { code: ApolloServerErrorCode.BAD_REQUEST } });

/** Browsers send Origin; other clients need none. The page's own origin and CORS_ORIGINS may connect. */
function originAllowed(origin: string | undefined, host: string | undefined, allowed: '*' | string[]): boolean {
  if (!origin || allowed === '*') return true;
  try {
    if (new URL(origin).host === host) return true;
  } catch {
    return false;
  }
  return allowed.includes(origin);
}

/**
 * Runs a subscription as graphql-js's `subscribe` does, but with a new request context for each event.
 * `return()` goes straight to the source, so a closed connection stops listening at once.
 */
async function subscribeWithEventContexts(
  args: ExecutionArgs,
  eventContext: () => Context,
): Promise<ExecutionResult | AsyncIterableIterator<ExecutionResult>> {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) {
    // Errors before any event: variables that do not fit their types are the caller's, as on HTTP.
    const errors = source.errors?.map((error) =>
      error.path === undefined && error.extensions.code === undefined ? withCode(error, ErrorCode.BadUserInput) : error,
    );
    return { ...source, errors };
  }
  const events = source[Symbol.asyncIterator]();
  const stop = async (): Promise<IteratorResult<ExecutionResult>> => {
    await events.return?.();
    return { done: true, value: undefined };
  };
  const results: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      const event = await events.next();
      if (event.done) return { done: true, value: undefined };
      return { done: false, value: await execute({ ...args, rootValue: event.value, contextValue: eventContext() }) };
    },
    return: stop,
    async throw(error: unknown) {
      await stop();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return results;
}

/** Serves `Subscription` over WebSocket on `httpServer`'s /graphql. Add `drainPlugin` to Apollo Server's plugins. */
export function serveSubscriptions(deps: SubscriptionDeps): SubscriptionServer {
  const { schema, client, logger, services, authenticator } = deps;
  const connections = new WeakMap<ConnectionContext, Connection>();
  let open = 0;

  /** `context`: the subscription's, whose logger writes an unexpected error with the request's id. */
  const format = (error: GraphQLError, context?: Context): GraphQLFormattedError => {
    logUnexpectedErrors(context?.logger ?? logger, [error]);
    const formatted = error.toJSON();
    const extensions: Record<string, unknown> = { ...formatted.extensions };
    extensions.code ??= ApolloServerErrorCode.INTERNAL_SERVER_ERROR;
    // `http` tells Apollo a status and headers: nothing a WebSocket message carries.
    delete extensions.http;
    return deps.formatError({ ...formatted, extensions }, error);
  };

  /** A request's context, reading only the stored properties the subscription's document can select. */
  const contextFor = (principal: Principal | null, requestId: string, projection: Projection): Context => {
    const context = createContext(client, logger, requestId, services, { lookahead: true, principal });
    context.db.projection = projection;
    return context;
  };

  const closeSubscription = (connection: Connection | undefined, id: string) => {
    if (connection?.subscriptions.delete(id)) open -= 1;
  };

  // `noServer`, with the upgrade routed here, rather than `server`: a ws server given the HTTP server
  // re-emits that server's errors (a port already taken at start-up), which graphql-ws then logs as its own.
  const wsServer = new WebSocketServer({
    noServer: true,
    maxPayload: SUBSCRIPTIONS.messageBytes,
    verifyClient: ({ origin, req }, allow) =>
      originAllowed(origin, req.headers.host, deps.corsOrigins)
        ? allow(true)
        : allow(false, 403, 'WebSocket connections from this origin are not allowed (CORS_ORIGINS).'),
  });
  const upgrade = (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    if ((request.url ?? '').split('?')[0] !== GRAPHQL_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wsServer.handleUpgrade(request, socket, head, (webSocket) => wsServer.emit('connection', webSocket, request));
  };
  deps.httpServer.on('upgrade', upgrade);

  const cleanup = useServer(
    {
      schema,
      // Internal errors close a socket with a generic reason, never their message.
      isProd: true,
      onConnect: async (ctx) => {
        const given = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        try {
          if (given !== undefined && typeof given !== 'string') {
            throw unauthenticated('connectionParams.authorization must be the string "Bearer <token>".');
          }
          const principal = await authenticator.authenticate(given);
          authenticator.authorize(principal, 'subscription');
          connections.set(ctx, { principal, subscriptions: new Set() });
          return true;
        } catch (error) {
          const code = error instanceof GraphQLError ? error.extensions.code : undefined;
          if (!(error instanceof GraphQLError) || (code !== ErrorCode.Unauthenticated && code !== ErrorCode.Forbidden)) throw error;
          logger.info({ code }, 'refused a WebSocket connection');
          // Closed here, with our code and reason: returning false alone would close it as 4403 "Forbidden".
          ctx.extra.socket.close(code === ErrorCode.Unauthenticated ? CLOSE_UNAUTHENTICATED : CLOSE_FORBIDDEN, closeReason(error.message));
          return false;
        }
      },
      onSubscribe: (ctx, id, payload) => {
        const connection = connections.get(ctx)!;
        let document: DocumentNode;
        try {
          document = parse(payload.query, deps.operationLimits.parseOptions);
        } catch (error) {
          return [
            error instanceof GraphQLError
              ? withCode(nameTokenLimit(error), ApolloServerErrorCode.GRAPHQL_PARSE_FAILED)
              : badRequest('The query is not GraphQL.'),
          ];
        }
        const invalid = validate(schema, document, [...specifiedRules, ...deps.operationLimits.validationRules]);
        if (invalid.length > 0) return invalid.map((error) => withCode(error, ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED));
        const tooCostly = deps.operationLimits.costRefusal({
          schema,
          document,
          request: { variables: payload.variables ?? undefined, operationName: payload.operationName ?? undefined },
        });
        if (tooCostly) return [tooCostly];
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return [badRequest('Name the operation to run (`operationName`): the document has several, or none.')];
        if (operation.operation !== 'subscription') {
          return [badRequest('A WebSocket connection carries subscriptions only: send queries and mutations as HTTP POST to /graphql.')];
        }
        if (connection.subscriptions.size >= SUBSCRIPTIONS.perConnection) {
          return [
            badUserInput(
              `This connection already holds ${SUBSCRIPTIONS.perConnection} subscriptions, the most one may: complete one first, or open another connection.`,
            ),
          ];
        }
        if (open >= SUBSCRIPTIONS.total) {
          return [serviceUnavailable(`The service holds the most subscriptions it takes (${SUBSCRIPTIONS.total}); try again later.`)];
        }
        connection.subscriptions.add(id);
        open += 1;
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: contextFor(connection.principal, randomUUID(), projectionOf(schema, document)),
        };
      },
      subscribe: (args) => {
        const { principal, requestId, db } = args.contextValue as Context;
        let events = 0;
        return subscribeWithEventContexts(args, () => contextFor(principal, `${requestId}.${++events}`, db.projection));
      },
      onNext: (_ctx, _id, _payload, args, result): FormattedExecutionResult | void => {
        if (result.errors?.length) {
          const context = args.contextValue as Context;
          return { ...result, errors: result.errors.map((error) => format(error as GraphQLError, context)) };
        }
      },
      onError: (_ctx, _id, _payload, errors) => errors.map((error) => format(error)),
      onComplete: (ctx, id) => closeSubscription(connections.get(ctx), id),
      onClose: (ctx) => {
        const connection = connections.get(ctx);
        for (const id of connection?.subscriptions ?? []) closeSubscription(connection, id);
        connections.delete(ctx);
      },
    },
    wsServer,
  );

  return {
    drainPlugin: {
      async serverWillStart() {
        return {
          async drainServer() {
            deps.httpServer.off('upgrade', upgrade);
            await cleanup.dispose();
          },
        };
      },
    },
  };
}
