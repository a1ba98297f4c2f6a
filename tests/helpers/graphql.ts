import type { ApolloServer } from '@apollo/server';
import type { PlanCache } from '../../src/planner/selection';
import { createDriver, Neo4jClient } from '../../src/db/neo4jClient';
import { createContext, type Context } from '../../src/context';
import { createLogger } from '../../src/logger';
import { createServer } from '../../src/server';
import { loadSeedGraph } from '../../src/seed/load';
import { readSeedGraph } from '../../src/seed/validate';
import { testNeo4jUri } from './neo4j';

export const silentLogger = createLogger('silent');

/** A client for the test database, as the service builds it. Close it in afterAll. */
export function openTestClient(): Neo4jClient {
  return new Neo4jClient(createDriver({ uri: testNeo4jUri() }), { queryTimeoutMs: 30_000 });
}

/** Loads the seed graph into the test database. Loading is idempotent, so every test file may call it. */
export async function seedTestDatabase(client: Neo4jClient): Promise<void> {
  await loadSeedGraph(client, readSeedGraph());
}

export interface GraphQLResult<T> {
  data: T | null;
  errors: { message: string; extensions?: Record<string, unknown>; path?: readonly (string | number)[] }[] | undefined;
  /** Cypher round trips this one operation made. */
  roundTrips: number;
}

/** The real Apollo server and schema, run in-process against the real test database. */
export class TestApi {
  private constructor(
    readonly client: Neo4jClient,
    private readonly apollo: ApolloServer<Context>,
    /** The server's shared look-ahead plans. */
    readonly plans: PlanCache,
  ) {}

  static async start(options: { seed?: boolean } = {}): Promise<TestApi> {
    const client = openTestClient();
    if (options.seed ?? true) await seedTestDatabase(client);
    const { apollo, plans } = await createServer({ config: { env: 'test', introspection: true }, client, logger: silentLogger });
    return new TestApi(client, apollo, plans);
  }

  /** `lookahead: false` resolves every field on its own, for comparing answers and round trips. */
  async query<T = Record<string, any>>(
    query: string,
    variables: Record<string, unknown> = {},
    options = { lookahead: true },
  ): Promise<GraphQLResult<T>> {
    const contextValue = createContext(this.client, silentLogger, 'test', { lookahead: options.lookahead, plans: this.plans });
    const response = await this.apollo.executeOperation({ query, variables }, { contextValue });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    const { data, errors } = response.body.singleResult;
    return { data: (data ?? null) as T | null, errors: errors as GraphQLResult<T>['errors'], roundTrips: contextValue.db.counter.count };
  }

  /** Like query, but fails the test on any GraphQL error. */
  async data<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const result = await this.query<T>(query, variables);
    if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
    return result.data as T;
  }

  async stop(): Promise<void> {
    await this.apollo.stop();
    await this.client.close();
  }
}
