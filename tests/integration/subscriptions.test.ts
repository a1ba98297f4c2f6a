/**
 * `Subscription.changeAdded` over a real WebSocket on loopback (graphql-ws client, as a dashboard uses
 * it), fed by ingestions and corrections sent through the HTTP API with an editor key, against the real
 * test database: the entity filter (and merges), a fresh request context per event, the refusal of
 * anonymous connections when reads need a credential, the bounds, and draining on shutdown.
 */
import { SignJWT } from 'jose';
import WebSocket from 'ws';
import type { IngestDocumentInput } from '../../src/generated/graphql';
import type { Neo4jClient } from '../../src/db/neo4jClient';
import { SUBSCRIPTIONS } from '../../src/limits';
import { openTestClient, TEST_AUTH, TEST_KEYS } from '../helpers/graphql';
import { postGraphQL, serveOnLoopback, type HttpService } from '../helpers/httpServer';
import { fixtureInput, INGEST, resetToSeed, smallDocument } from '../helpers/ingest';
import { connect, until, type LiveConnection, type Received } from '../helpers/subscriptions';

const CHANGE_ADDED = `subscription ($entityId: ID) {
  changeAdded(entityId: $entityId) {
    id operation actor summary
    document { id }
    entities { id }
    relations { id supportCount source { id } target { id } }
  }
}`;
const MERGE = `mutation ($keepId: ID!, $duplicateId: ID!) { mergeEntities(keepId: $keepId, duplicateId: $duplicateId, reason: "One country, entered twice.") { id } }`;

const editor = { authorization: `Bearer ${TEST_KEYS.editor}` };

let client: Neo4jClient;
const opened: LiveConnection[] = [];
const services: HttpService[] = [];

beforeAll(async () => {
  client = openTestClient();
  await resetToSeed(client);
});

// Each test starts with no subscription left over from the one before.
afterEach(async () => {
  for (const connection of opened.splice(0)) await connection.client.dispose();
  await until('every subscription closed', () => services.every((service) => listeners(service) === 0));
});

afterAll(async () => {
  await resetToSeed(client);
  await client.close();
});

async function serve(config: Partial<Parameters<typeof serveOnLoopback>[0]['config']> = {}): Promise<HttpService> {
  const service = await serveOnLoopback({ client, config: { env: 'test', introspection: true, auth: TEST_AUTH, ...config } });
  services.push(service);
  return service;
}

function open(service: HttpService, connectionParams?: Record<string, unknown>): LiveConnection {
  const connection = connect(service.url, connectionParams);
  opened.push(connection);
  return connection;
}

/** Live listeners on the service's change feed: a subscription is registered once it listens. */
const listeners = (service: HttpService) => service.server.services.changes.listenerCount;

async function ingest(service: HttpService, input: IngestDocumentInput): Promise<any> {
  const response = await postGraphQL(service.url, { query: INGEST, variables: { input } }, editor);
  expect(response.json.errors).toBeUndefined();
  return response.json.data.ingestDocument;
}

const changesOf = (received: Received) => received.results.map((result) => result.data?.changeAdded);

/** A document with one fact between two entities given by id; `declare` creates them (kind COUNTRY). */
function documentLinking(text: string, sourceId: string, targetId: string, declare: string[] = []): IngestDocumentInput {
  const quote = text.slice(0, text.length - 1);
  return smallDocument(text, {
    entities: declare.map((id) => ({
      ref: id,
      id,
      kind: 'COUNTRY' as const,
      name: id.replace(/-/g, ' '),
      evidence: [{ quote, confidence: 0.9 }],
    })),
    relations: [{ type: 'ALLY_OF', source: { id: sourceId }, target: { id: targetId }, evidence: [{ quote, confidence: 0.9 }] }],
  });
}

describe('on a service whose reads are public', () => {
  let service: HttpService;
  beforeAll(async () => {
    service = await serve();
  });
  afterAll(async () => {
    await service.stop();
  });

  test("an ingestion reaches every subscriber of an entity it touched, with the change's fields, and no other", async () => {
    const connection = open(service);
    const everything = connection.subscribe(CHANGE_ADDED);
    const zelensky = connection.subscribe(CHANGE_ADDED, { entityId: 'volodymyr-zelensky' });
    const kushner = connection.subscribe(CHANGE_ADDED, { entityId: 'jared-kushner' });
    await until('three subscriptions listening', () => listeners(service) === 3);

    const london = fixtureInput('london-defence-ministers');
    const result = await ingest(service, london);
    await until('the London change at the Zelensky subscriber', () => zelensky.results.length === 1);
    const [change] = changesOf(zelensky);
    expect(change).toEqual({
      id: result.change.id,
      operation: 'INGEST_DOCUMENT',
      actor: 'newsroom',
      summary: result.change.summary,
      document: { id: london.document.id },
      entities: expect.arrayContaining([{ id: 'volodymyr-zelensky' }, { id: 'mark-rutte' }]),
      relations: expect.arrayContaining(
        result.relations.map((r: any) => ({
          id: r.relation.id,
          supportCount: r.relation.supportCount,
          source: r.relation.source,
          target: r.relation.target,
        })),
      ),
    });
    expect(change.relations).toHaveLength(new Set(result.relations.map((r: any) => r.relation.id)).size);
    expect(zelensky.error).toBeUndefined();

    // Jared Kushner is not in the London article; a document that names him reaches his subscriber alone.
    const second = await ingest(
      service,
      documentLinking('Jared Kushner backs Live Testland.', 'jared-kushner', 'live-testland', ['live-testland']),
    );
    await until('the Kushner change', () => kushner.results.length === 1);
    await until('both changes at the unfiltered subscriber', () => everything.results.length === 2);
    expect(changesOf(kushner).map((c) => c.id)).toEqual([second.change.id]);
    expect(changesOf(everything).map((c) => c.id)).toEqual([result.change.id, second.change.id]);
    expect(changesOf(zelensky).map((c) => c.id)).toEqual([result.change.id]);
  });

  test('each event is read afresh: a corroborating document shows the fact with two supporting documents', async () => {
    const connection = open(service);
    const watcher = connection.subscribe(CHANGE_ADDED, { entityId: 'live-ally' });
    await until('the subscription listening', () => listeners(service) === 1);
    const first = await ingest(service, documentLinking('Ukraine allies with Live Ally.', 'ukraine', 'live-ally', ['live-ally']));
    const again = await ingest(service, documentLinking('Ukraine and Live Ally are allies.', 'ukraine', 'live-ally'));
    expect(again.relations[0].outcome).toBe('CORROBORATED');
    await until('both changes', () => watcher.results.length === 2);
    const [created, corroborated] = changesOf(watcher);
    expect(created.id).toBe(first.change.id);
    expect(created.relations).toEqual([
      { id: first.relations[0].relation.id, supportCount: 1, source: { id: 'ukraine' }, target: { id: 'live-ally' } },
    ]);
    expect(corroborated.relations).toEqual([
      { id: first.relations[0].relation.id, supportCount: 2, source: { id: 'ukraine' }, target: { id: 'live-ally' } },
    ]);
  });

  test('a subscription to an entity follows it through a merge, and an id merged away watches the kept entity', async () => {
    await ingest(service, documentLinking('Live Kept allies with Ukraine.', 'live-kept', 'ukraine', ['live-kept']));
    await ingest(service, documentLinking('Live Copy allies with France.', 'live-copy', 'france', ['live-copy']));
    const connection = open(service);
    const copy = connection.subscribe(CHANGE_ADDED, { entityId: 'live-copy' });
    const kept = connection.subscribe(CHANGE_ADDED, { entityId: 'live-kept' });
    await until('two subscriptions listening', () => listeners(service) === 2);

    const merged = await postGraphQL(service.url, { query: MERGE, variables: { keepId: 'live-kept', duplicateId: 'live-copy' } }, editor);
    expect(merged.json.errors).toBeUndefined();
    await until('the merge at both', () => copy.results.length === 1 && kept.results.length === 1);
    expect(changesOf(copy)[0].operation).toBe('MERGE_ENTITIES');
    // The merged-away id resolves to the kept entity, listed once.
    expect(changesOf(copy)[0].entities).toEqual(expect.arrayContaining([{ id: 'live-kept' }]));
    expect(changesOf(copy)[0].entities).not.toContainEqual({ id: 'live-copy' });

    const afterwards = connection.subscribe(CHANGE_ADDED, { entityId: 'live-copy' });
    await until('the third subscription listening', () => listeners(service) === 3);
    const later = await ingest(service, documentLinking('Live Kept allies with the United Kingdom.', 'live-kept', 'united-kingdom'));
    await until('the later change at all three', () =>
      [copy, kept, afterwards].every((s) => s.results.length >= 1 + Number(s !== afterwards)),
    );
    expect(changesOf(copy).map((c) => c.id)).toEqual([changesOf(kept)[0].id, later.change.id]);
    expect(changesOf(afterwards).map((c) => c.id)).toEqual([later.change.id]);
  });

  test('a connection carries subscriptions only, and a bad document gets a coded error without internals', async () => {
    const connection = open(service);
    const query = connection.subscribe('{ entity(id: "russia") { name } }');
    const mutation = connection.subscribe(MERGE, { keepId: 'russia', duplicateId: 'ukraine' });
    const syntax = connection.subscribe('subscription { changeAdded(');
    const unknown = connection.subscribe('subscription { changeAdded { nonsense } }');
    const badVariable = connection.subscribe(CHANGE_ADDED, { entityId: { not: 'an id' } });
    const all = [query, mutation, syntax, unknown, badVariable];
    await until('every refusal', () => all.every((s) => s.error !== undefined || s.completed));
    const codes = all.map((s) => {
      const errors = (s.error ?? s.results[0]?.errors) as { message: string; extensions?: Record<string, unknown> }[];
      for (const error of errors) expect(error.extensions).not.toHaveProperty('stacktrace');
      return errors[0]!.extensions?.code;
    });
    expect(codes).toEqual(['BAD_REQUEST', 'BAD_REQUEST', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT']);
    expect(((query.error as any[])[0] as { message: string }).message).toMatch(/subscriptions only.*HTTP POST/);
    // The mutation was refused, not run: both entities still stand.
    const still = await postGraphQL(service.url, { query: '{ a: entity(id: "russia") { id } b: entity(id: "ukraine") { id } }' });
    expect(still.json.data).toEqual({ a: { id: 'russia' }, b: { id: 'ukraine' } });
    // The connection stays usable.
    const fine = connection.subscribe(CHANGE_ADDED);
    await until('a good subscription listening', () => listeners(service) === 1);
    expect(fine.error).toBeUndefined();
  });

  test('a subscription sent over HTTP is refused as BAD_REQUEST, saying where to send it', async () => {
    const { status, json } = await postGraphQL(service.url, { query: CHANGE_ADDED });
    expect(status).toBe(400);
    expect(json.errors).toEqual([{ message: expect.stringMatching(/over WebSocket.*on \/graphql/), extensions: { code: 'BAD_REQUEST' } }]);
  });

  test('the operation limits of HTTP apply to subscriptions: depth, aliases, tokens and cost, each named', async () => {
    const limited = await serve({ limits: { maxTokens: 200, maxDepth: 6, maxAliases: 2, maxDirectives: 50, maxCost: 50 } });
    try {
      const connection = open(limited);
      const deep = connection.subscribe('subscription { changeAdded { entities { relations { edges { node { source { name } } } } } } }');
      const aliased = connection.subscribe('subscription { changeAdded { a: id b: id c: id } }');
      const long = connection.subscribe(`subscription { changeAdded { ${'id '.repeat(300)}} }`);
      const costly = connection.subscribe(
        'subscription ($n: Int) { changeAdded { entities { relations(first: $n) { edges { node { id } } } } } }',
        {
          n: 100,
        },
      );
      const all = [deep, aliased, long, costly];
      await until('every refusal', () => all.every((s) => s.error !== undefined));
      const refusals = all.map((s) => (s.error as { message: string; extensions: Record<string, unknown> }[])[0]!);
      expect(refusals.map((error) => error.extensions.limit)).toEqual(['maxDepth', 'maxAliases', 'maxTokens', 'maxCost']);
      expect(refusals.map((error) => error.extensions.code)).toEqual([
        'GRAPHQL_VALIDATION_FAILED',
        'GRAPHQL_VALIDATION_FAILED',
        'GRAPHQL_PARSE_FAILED',
        'GRAPHQL_VALIDATION_FAILED',
      ]);
      expect(refusals[3]!.message).toMatch(/cost is \d+, more than the maximum of 50 \(limit maxCost, set by GRAPHQL_MAX_COST\)/);
      // Within the limits, the same connection subscribes.
      const fine = connection.subscribe('subscription { changeAdded { id } }');
      await until('a good subscription listening', () => listeners(limited) === 1);
      expect(fine.error).toBeUndefined();
    } finally {
      for (const connection of opened.splice(0)) await connection.client.dispose();
      await limited.stop();
      services.splice(services.indexOf(limited), 1);
    }
  });

  test(`one connection holds at most ${SUBSCRIPTIONS.perConnection} subscriptions, and the service ${SUBSCRIPTIONS.total}`, async () => {
    const first = open(service);
    const stops = Array.from({ length: SUBSCRIPTIONS.perConnection }, () => {
      const received: Received = { results: [], error: undefined, completed: false };
      const stop = first.client.subscribe(
        { query: CHANGE_ADDED },
        { next: () => undefined, error: (e) => (received.error = e), complete: () => undefined },
      );
      return { stop, received };
    });
    await until('a full connection', () => listeners(service) === SUBSCRIPTIONS.perConnection);
    const eleventh = first.subscribe(CHANGE_ADDED);
    await until('the refusal', () => eleventh.error !== undefined);
    expect((eleventh.error as any[])[0].extensions.code).toBe('BAD_USER_INPUT');
    expect((eleventh.error as any[])[0].message).toMatch(/already holds 10 subscriptions/);
    // Completing one makes room on that connection.
    stops[0]!.stop();
    await until('one completed', () => listeners(service) === SUBSCRIPTIONS.perConnection - 1);
    first.subscribe(CHANGE_ADDED);
    await until('the connection full again', () => listeners(service) === SUBSCRIPTIONS.perConnection);

    const connections = SUBSCRIPTIONS.total / SUBSCRIPTIONS.perConnection - 1;
    for (let i = 0; i < connections; i += 1) {
      const connection = open(service);
      for (let j = 0; j < SUBSCRIPTIONS.perConnection; j += 1) connection.subscribe(CHANGE_ADDED);
    }
    await until('the service full', () => listeners(service) === SUBSCRIPTIONS.total, 30_000);
    const oneTooMany = open(service).subscribe(CHANGE_ADDED);
    await until('the refusal', () => oneTooMany.error !== undefined);
    expect((oneTooMany.error as any[])[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
    expect(listeners(service)).toBe(SUBSCRIPTIONS.total);
    expect(stops.slice(1).every((s) => s.received.error === undefined)).toBe(true);

    // Closed connections give their room back.
    for (const connection of opened.splice(0)) await connection.client.dispose();
    await until('every subscription gone', () => listeners(service) === 0);
    const room = open(service).subscribe(CHANGE_ADDED);
    await until('a new subscription listening', () => listeners(service) === 1);
    expect(room.error).toBeUndefined();
  }, 60_000);
});

describe('with AUTH_REQUIRE_READ=true', () => {
  const secret = 'a-jwt-secret-for-the-subscription-tests-0123456789';
  let service: HttpService;
  beforeAll(async () => {
    service = await serve({ auth: { ...TEST_AUTH, requireRead: true, jwtSecret: secret } });
  });
  afterAll(async () => {
    await service.stop();
  });

  /** Opens a connection with these params and subscribes: how the server answered. */
  async function attempt(connectionParams?: Record<string, unknown>) {
    const connection = open(service, connectionParams);
    const received = connection.subscribe(CHANGE_ADDED);
    const outcome = await Promise.race([connection.closed, connection.acknowledged.then(() => 'acknowledged' as const)]);
    return { connection, received, outcome };
  }

  test('an anonymous connection, or one with a bad credential, is closed with 4401 before it can subscribe', async () => {
    const anonymous = await attempt();
    expect(anonymous.outcome).toEqual({ code: 4401, reason: expect.stringMatching(/^Reads need a credential/) });
    expect(anonymous.received.results).toEqual([]);
    const wrongKey = await attempt({ authorization: `Bearer ${TEST_KEYS.reader}x` });
    expect(wrongKey.outcome).toEqual({ code: 4401, reason: 'The bearer token is not a valid credential.' });
    const notAString = await attempt({ authorization: 42 });
    expect(notAString.outcome).toMatchObject({ code: 4401 });
    expect(listeners(service)).toBe(0);
  });

  test('a credential without a role is closed with 4403', async () => {
    const token = await new SignJWT({ roles: [] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('nobody')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(secret));
    const { outcome } = await attempt({ authorization: `Bearer ${token}` });
    expect(outcome).toEqual({ code: 4403, reason: expect.stringContaining('neither the reader nor the editor role') });
  });

  test("a reader's key in connectionParams subscribes and receives changes", async () => {
    const { received, outcome } = await attempt({ authorization: `Bearer ${TEST_KEYS.reader}` });
    expect(outcome).toBe('acknowledged');
    await until('the subscription listening', () => listeners(service) === 1);
    const result = await ingest(service, documentLinking('Ukraine allies with Live Reader.', 'ukraine', 'live-reader', ['live-reader']));
    await until('the change', () => received.results.length === 1);
    expect(changesOf(received)[0].id).toBe(result.change.id);
  });
});

describe('origins and shutdown', () => {
  test("a browser on another origin connects only when CORS_ORIGINS lists it, the page's own origin always, and only on /graphql", async () => {
    const service = await serve({ corsOrigins: ['https://dashboard.example'] });
    try {
      const handshake = (origin: string, path = '/graphql') =>
        new Promise<number>((resolve) => {
          const socket = new WebSocket(`${service.url.replace('http', 'ws')}${path}`, 'graphql-transport-ws', { origin });
          socket.once('open', () => {
            socket.close();
            resolve(101);
          });
          socket.once('unexpected-response', (request, response) => {
            resolve(response.statusCode ?? 0);
            request.destroy();
          });
          // Destroying a refused handshake reports an error of its own: the status is what counts.
          socket.on('error', () => undefined);
        });
      expect(await handshake('https://evil.example')).toBe(403);
      expect(await handshake('https://dashboard.example')).toBe(101);
      expect(await handshake(service.url)).toBe(101);
      expect(await handshake(service.url, '/explore')).toBe(404);
    } finally {
      await service.stop();
    }
  });

  test('stopping the service closes every subscription with 1001 (going away), stops listening, and takes no new connection', async () => {
    const service = await serve();
    const connection = open(service);
    const watcher = connection.subscribe(CHANGE_ADDED, { entityId: 'russia' });
    await until('the subscription listening', () => listeners(service) === 1);
    // One change delivered: the subscription is fully open, not still starting, when the service stops.
    await ingest(service, documentLinking('Russia allies with Live Shutdown.', 'russia', 'live-shutdown', ['live-shutdown']));
    await until('the change', () => watcher.results.length === 1);
    const started = Date.now();
    await service.stop();
    expect(Date.now() - started).toBeLessThan(5_000);
    await expect(connection.closed).resolves.toMatchObject({ code: 1001 });
    await until('the sink told', () => watcher.error !== undefined);
    expect(listeners(service)).toBe(0);
    const late = connect(service.url);
    opened.push(late);
    late.subscribe(CHANGE_ADDED);
    await expect(late.closed).resolves.toMatchObject({ code: expect.any(Number) });
    expect(
      await Promise.race([late.acknowledged.then(() => 'acknowledged'), new Promise((r) => setTimeout(() => r('refused'), 200))]),
    ).toBe('refused');
  });
});
