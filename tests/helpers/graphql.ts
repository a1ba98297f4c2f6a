import type { ApolloServer } from '@apollo/server';
import { NO_AUTH, type AuthSettings, type Principal } from '../../src/auth';
import { createDriver, Neo4jClient } from '../../src/db/neo4jClient';
import { createContext, createServices, type Context, type Services } from '../../src/context';
import { createLogger } from '../../src/logger';
import { createServer, DEFAULT_INGEST_LIMITS } from '../../src/server';
import { loadSeedGraph } from '../../src/seed/load';
import { readSeedGraph } from '../../src/seed/validate';
import { testNeo4jUri } from './neo4j';

export const silentLogger = createLogger('silent');

/** Test credentials: an editor and a reader API key (each 32+ characters, as the service requires). */
export const TEST_KEYS = {
  editor: 'test-editor-key-0123456789abcdef0123456789',
  reader: 'test-reader-key-0123456789abcdef0123456789',
} as const;
export const TEST_AUTH: AuthSettings = {
  ...NO_AUTH,
  apiKeys: [
    { name: 'newsroom', role: 'editor', key: TEST_KEYS.editor },
    { name: 'dashboard', role: 'reader', key: TEST_KEYS.reader },
  ],
};
/** The callers those keys authenticate as, for in-process operations that skip HTTP. */
export const EDITOR: Principal = { name: 'newsroom', roles: ['editor'] };
export const READER: Principal = { name: 'dashboard', roles: ['reader'] };

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
    /** What the server's requests share (look-ahead plans, the write services, the change feed). */
    readonly services: Services,
  ) {}

  static async start(
    options: { seed?: boolean; services?: (client: Neo4jClient) => Services; auth?: AuthSettings } = {},
  ): Promise<TestApi> {
    const client = openTestClient();
    if (options.seed ?? true) await seedTestDatabase(client);
    const services = options.services?.(client) ?? createServices(client, DEFAULT_INGEST_LIMITS);
    const config = { env: 'test' as const, introspection: true, auth: options.auth ?? TEST_AUTH };
    const { apollo } = await createServer({ config, client, logger: silentLogger, services });
    return new TestApi(client, apollo, services);
  }

  get plans() {
    return this.services.plans;
  }

  /** `lookahead: false` resolves every field on its own, for comparing answers and round trips. */
  async query<T = Record<string, any>>(
    query: string,
    variables: Record<string, unknown> = {},
    options: { lookahead?: boolean; principal?: Principal | null } = {},
  ): Promise<GraphQLResult<T>> {
    const contextValue = createContext(this.client, silentLogger, 'test', this.services, {
      lookahead: options.lookahead ?? true,
      principal: options.principal ?? null,
    });
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
