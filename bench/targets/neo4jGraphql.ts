/**
 * Target 2: @neo4j/graphql 7 over the same database, served the way this service is: Apollo Server 5 on
 * Express 5 with express.json and CSRF prevention, production settings (no introspection, no landing
 * page), a driver built by the same createDriver (same pool size and options). The schema is its Federation
 * subgraph schema, so `_entities` works.
 */
import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { Neo4jGraphQL } from '@neo4j/graphql';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import { createDriver } from '../../src/db/neo4jClient';
import { closeServer, InFlight, listenOnLoopback, type RunningTarget } from './common';
import { POOL_SIZE } from './ours';
import { neo4jGraphqlTypeDefs, type RelationDomain } from './neo4jGraphqlTypeDefs';

export interface Neo4jGraphqlTarget extends RunningTarget {
  /** How long @neo4j/graphql took to build its schema. */
  schemaBuildMs: number;
}

export async function startNeo4jGraphql(uri: string, domain: RelationDomain): Promise<Neo4jGraphqlTarget> {
  const driver = createDriver({ uri, maxPoolSize: POOL_SIZE });
  const started = performance.now();
  const neoSchema = new Neo4jGraphQL({ typeDefs: neo4jGraphqlTypeDefs(domain), driver });
  let schema: GraphQLSchema;
  try {
    schema = await neoSchema.getSubgraphSchema();
  } catch (error) {
    await driver.close();
    throw error;
  }
  const schemaBuildMs = performance.now() - started;

  const inFlight = new InFlight();
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer({
    schema,
    introspection: false,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginLandingPageDisabled(), inFlight.apolloPlugin()],
  });
  await apollo.start();
  app.use('/graphql', express.json({ limit: '1mb' }), expressMiddleware(apollo, { context: async () => ({}) }));
  const origin = await listenOnLoopback(httpServer);
  return {
    schemaBuildMs,
    endpoint: () => `${origin}/graphql`,
    inFlight: () => inFlight.count,
    stop: async () => {
      await apollo.stop();
      await closeServer(httpServer);
      await driver.close();
    },
  };
}
