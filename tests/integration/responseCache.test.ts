/**
 * The whole-response cache (RESPONSE_CACHE=true, src/responseCache.ts) over real HTTP against the real test
 * database: which dashboard queries it keeps, that a kept answer is served without a Cypher round trip,
 * that every write (this process's, through the change feed, or another's, through the poll) is seen by
 * the next read, that a read in flight across a write does not store its stale answer, that nothing is
 * kept with the cache off, and that authentication runs before a kept answer is served.
 *
 * Round trips are the request's own count (`RequestDb.counter`, read when the response is sent): the
 * background poll of the graph's version is not a request's and is not counted.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { chooseFixtures } from '../../bench/fixtures';
import { OPERATIONS } from '../../bench/operations';
import type { Context } from '../../src/context';
import { createDriver, Neo4jClient } from '../../src/db/neo4jClient';
import type { IngestDocumentInput } from '../../src/generated/graphql';
import { RESPONSE_CACHE_SETTINGS, settingDefaults, type ResponseCacheSettings } from '../../src/limits';
import type { ServerDeps } from '../../src/server';
import { TEST_AUTH, TEST_KEYS } from '../helpers/graphql';
import { postGraphQL, serveOnLoopback, type HttpResult, type HttpService } from '../helpers/httpServer';
import { INGEST, resetToSeed, smallDocument } from '../helpers/ingest';
import { testNeo4jUri } from '../helpers/neo4j';
import { readmeQueries } from '../helpers/readme';

const editor = { authorization: `Bearer ${TEST_KEYS.editor}` };
const reader = { authorization: `Bearer ${TEST_KEYS.reader}` };

const ENTITY_PAGE = `query EntityPage($id: ID!) {
  entity(id: $id) { id name relations(first: 200) { totalCount edges { node { id type rank source { id } target { id } } } } }
}`;
const DEPRECATE = `mutation ($id: ID!) { deprecateRelation(id: $id, reason: "Retracted by the source.") { id rank } }`;

/** A client with a read that can be held after it has read the graph, as a slow reader would be. */
class HoldingClient extends Neo4jClient {
  private gate: { matches: (parameters: string) => boolean; reached: () => void; release: Promise<void> } | null = null;

  /** The next read whose parameters (as JSON) `matches` reads, then waits for `release`; resolves once it has read. */
  holdNext(matches: (parameters: string) => boolean, release: Promise<void>): Promise<void> {
    return new Promise((reached) => (this.gate = { matches, reached, release }));
  }

  override async read<T extends Record<string, any>>(...args: Parameters<Neo4jClient['read']>): Promise<T[]> {
    const rows = await super.read<T>(...args);
    const gate = this.gate;
    if (gate?.matches(JSON.stringify(args[1] ?? {}))) {
      this.gate = null;
      gate.reached();
      await gate.release;
    }
    return rows;
  }
}

let client: HoldingClient;
const services: HttpService[] = [];
/** Round trips of every response, by request, in the order the responses were sent. */
const roundTrips = new Map<string, number>();

/** Records each request's own round trips under the x-test-request header's value. */
const countingPlugin: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async willSendResponse({ request, contextValue }) {
        const tag = request.http?.headers.get('x-test-request');
        if (tag) roundTrips.set(tag, contextValue.db.counter.count);
      },
    };
  },
};

beforeAll(async () => {
  client = new HoldingClient(createDriver({ uri: testNeo4jUri() }), { queryTimeoutMs: 30_000 });
  await resetToSeed(client);
});

afterAll(async () => {
  for (const service of services) await service.stop();
  await resetToSeed(client);
  await client.close();
});

const cacheOn = (settings: Partial<ResponseCacheSettings> = {}) => ({
  enabled: true,
  ...settingDefaults(RESPONSE_CACHE_SETTINGS),
  ...settings,
});

async function serve(config: Partial<ServerDeps['config']>, over: Neo4jClient = client): Promise<HttpService> {
  const service = await serveOnLoopback({ client: over, config: { env: 'test', introspection: true, auth: TEST_AUTH, ...config } }, [
    countingPlugin,
  ]);
  services.push(service);
  return service;
}

let requests = 0;
/** Posts a query; `trips` is the Cypher round trips it made (0 when answered from the cache). */
async function ask(
  service: HttpService,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<HttpResult & { trips: number | undefined }> {
  const tag = `request-${(requests += 1)}`;
  const response = await postGraphQL(service.url, { query, variables }, { 'x-test-request': tag, ...headers });
  return { ...response, trips: roundTrips.get(tag) };
}

async function write(service: HttpService, query: string, variables: Record<string, unknown>): Promise<any> {
  const response = await postGraphQL(service.url, { query, variables }, editor);
  expect(response.json.errors).toBeUndefined();
  return response.json.data;
}

/** A new fact between two seed entities, from a small document of its own. */
function allyDocument(text: string, sourceId: string, targetId: string): IngestDocumentInput {
  const quote = text.slice(0, -1);
  return smallDocument(text, {
    relations: [{ type: 'ALLY_OF', source: { id: sourceId }, target: { id: targetId }, evidence: [{ quote, confidence: 0.9 }] }],
  });
}

const factIds = (response: HttpResult): string[] => response.json.data.entity.relations.edges.map((e: any) => e.node.id).sort();

describe('which answers may be kept', () => {
  let service: HttpService;
  beforeAll(async () => {
    service = await serve({ responseCache: cacheOn() });
  });

  test("every read operation of the bench and every query of README.md gets a positive maxAge from the schema's hints", async () => {
    const fixtures = await chooseFixtures(client, { synthetic: false });
    const queries = [
      ...OPERATIONS.map((op) => ({ name: `bench ${op.name}`, ...op.ours(fixtures) })),
      // suggestEntities is an editor's tool over a draft text, never cached (its SDL says so).
      ...readmeQueries()
        .filter((query) => !query.includes('suggestEntities'))
        .map((query, index) => ({ name: `README query ${index + 1}`, query, variables: {} })),
    ];
    const uncached: string[] = [];
    for (const { name, query, variables } of queries) {
      const response = await ask(service, query, variables);
      expect(response.json.errors).toBeUndefined();
      const maxAge = Number(/max-age=(\d+)/.exec(response.headers.get('cache-control') ?? '')?.[1] ?? 0);
      if (!(maxAge > 0)) uncached.push(`${name}: ${response.headers.get('cache-control')}`);
    }
    expect(uncached).toEqual([]);
  });
});

describe('with the cache on', () => {
  let service: HttpService;
  beforeAll(async () => {
    // Polled once at start only: the writes here are this process's, seen through the change feed.
    service = await serve({ responseCache: cacheOn({ pollMs: RESPONSE_CACHE_SETTINGS.pollMs.max }) });
  });

  test('a repeated dashboard query is answered from the cache, with no round trip and the same answer', async () => {
    const first = await ask(service, ENTITY_PAGE, { id: 'emmanuel-macron' });
    const second = await ask(service, ENTITY_PAGE, { id: 'emmanuel-macron' });
    expect(first.json.errors).toBeUndefined();
    expect(first.trips).toBeGreaterThan(0);
    expect(second.trips).toBe(0);
    expect(second.json).toEqual(first.json);
    expect(second.headers.get('age')).toMatch(/^\d+$/);
    // Other variables are another answer.
    expect((await ask(service, ENTITY_PAGE, { id: 'france' })).trips).toBeGreaterThan(0);
  });

  test('after an ingestion that touches the entity, the next answer shows the new fact', async () => {
    await ask(service, ENTITY_PAGE, { id: 'venezuela' });
    const cached = await ask(service, ENTITY_PAGE, { id: 'venezuela' });
    expect(cached.trips).toBe(0);
    const { ingestDocument } = await write(service, INGEST, {
      input: allyDocument('France stands with Venezuela on the accord.', 'france', 'venezuela'),
    });
    const added = ingestDocument.relations[0].relation.id as string;
    expect(factIds(cached)).not.toContain(added);
    const after = await ask(service, ENTITY_PAGE, { id: 'venezuela' });
    expect(after.trips).toBeGreaterThan(0);
    expect(factIds(after)).toEqual([...factIds(cached), added].sort());
  });

  test('after a deprecation, the next answer no longer shows the fact', async () => {
    const cachedTwice = [
      await ask(service, ENTITY_PAGE, { id: 'nicolas-maduro' }),
      await ask(service, ENTITY_PAGE, { id: 'nicolas-maduro' }),
    ];
    expect(cachedTwice[1]!.trips).toBe(0);
    const shown = factIds(cachedTwice[1]!);
    expect(shown.length).toBeGreaterThan(0);
    await write(service, DEPRECATE, { id: shown[0] });
    const after = await ask(service, ENTITY_PAGE, { id: 'nicolas-maduro' });
    expect(after.trips).toBeGreaterThan(0);
    expect(factIds(after)).toEqual(shown.slice(1));
  });

  test('a read in flight across a write does not store its stale answer', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const readTheGraph = client.holdNext((parameters) => parameters.includes('keir-starmer'), released);
    // Only this request's statements name Keir Starmer; the gate holds its first one once it has read.
    const pending = ask(service, ENTITY_PAGE, { id: 'keir-starmer' });
    await readTheGraph;
    const { ingestDocument } = await write(service, INGEST, {
      input: allyDocument('Keir Starmer stands with Venezuela on the accord.', 'keir-starmer', 'venezuela'),
    });
    const added = ingestDocument.relations[0].relation.id as string;
    release();
    const stale = await pending;
    expect(factIds(stale)).not.toContain(added);
    const next = await ask(service, ENTITY_PAGE, { id: 'keir-starmer' });
    expect(factIds(next)).toContain(added);
    expect(next.trips).toBeGreaterThan(0);
  });
});

test('a write by another process is seen through the poll of the graph version', async () => {
  const cached = await serve({ responseCache: cacheOn({ pollMs: 200 }) });
  // Another replica: its writes reach its own change feed, not the first service's.
  const replica = await serve({});
  await ask(cached, ENTITY_PAGE, { id: 'united-kingdom' });
  const before = await ask(cached, ENTITY_PAGE, { id: 'united-kingdom' });
  expect(before.trips).toBe(0);
  const { ingestDocument } = await write(replica, INGEST, {
    input: allyDocument('The United Kingdom stands with Venezuela on the accord.', 'united-kingdom', 'venezuela'),
  });
  const added = ingestDocument.relations[0].relation.id as string;
  const deadline = Date.now() + 5_000;
  let latest = before;
  while (!factIds(latest).includes(added) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    latest = await ask(cached, ENTITY_PAGE, { id: 'united-kingdom' });
  }
  expect(factIds(latest)).toEqual([...factIds(before), added].sort());
});

test('with the cache off, nothing is kept', async () => {
  const service = await serve({});
  const trips = [];
  for (let i = 0; i < 3; i += 1) trips.push((await ask(service, ENTITY_PAGE, { id: 'emmanuel-macron' })).trips);
  expect(trips.every((count) => count !== undefined && count > 0)).toBe(true);
});

test('when reads need a credential, a kept answer is served only to an authenticated caller', async () => {
  const service = await serve({ responseCache: cacheOn(), auth: { ...TEST_AUTH, requireRead: true } });
  const first = await ask(service, ENTITY_PAGE, { id: 'donald-trump' }, reader);
  expect(first.trips).toBeGreaterThan(0);
  expect((await ask(service, ENTITY_PAGE, { id: 'donald-trump' }, reader)).trips).toBe(0);

  const anonymous = await ask(service, ENTITY_PAGE, { id: 'donald-trump' });
  expect(anonymous.json.data).toBeUndefined();
  expect(anonymous.json.errors.map((e: any) => e.extensions.code)).toEqual(['UNAUTHENTICATED']);

  const forged = await ask(service, ENTITY_PAGE, { id: 'donald-trump' }, { authorization: 'Bearer not-a-key-of-this-service-0123456789' });
  expect(forged.status).toBe(401);
  expect(forged.json.data).toBeUndefined();

  const again = await ask(service, ENTITY_PAGE, { id: 'donald-trump' }, editor);
  expect(again.trips).toBe(0);
  expect(again.json).toEqual(first.json);
});
