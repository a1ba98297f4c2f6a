/**
 * This subgraph in a supergraph, without Rover or Router binaries: it is served over real HTTP (createServer
 * on a loopback port, real test database), composed with a small "analytics" subgraph written here, and
 * queried through @apollo/gateway in-process, across both subgraphs in both directions.
 */
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { composeServices, type CompositionResult } from '@apollo/composition';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import gql from 'graphql-tag';
import type { Context } from '../../src/context';
import type { Neo4jClient } from '../../src/db/neo4jClient';
import { openTestClient, seedTestDatabase, silentLogger } from '../helpers/graphql';
import { postGraphQL, serveOnLoopback, type HttpService } from '../helpers/httpServer';

/** A second subgraph, as another team would write it: it adds a field to our Country and a query of its own. */
const ANALYTICS_TYPE_DEFS = gql`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])

  # Shared types carry no description here: the knowledge subgraph owns them, and two different
  # descriptions would be an INCONSISTENT_DESCRIPTION hint.
  type Country @key(fields: "id") {
    id: ID!
    "How often the news mentioned the country this week."
    mentionCount: Int!
  }

  "The countries mentioned most this week."
  type TrendingCountries {
    countries: [Country!]!
    pageInfo: PageInfo!
  }

  # A value type both subgraphs define, so both mark it @shareable.
  type PageInfo @shareable {
    hasNextPage: Boolean!
    endCursor: String
  }

  type Query {
    trendingCountries(first: Int! = 3): TrendingCountries!
  }
`;

const MENTIONS: Record<string, number> = { ukraine: 42, russia: 37, 'united-states': 30, france: 12 };

function analyticsServer(): ApolloServer {
  return new ApolloServer({
    logger: silentLogger,
    schema: buildSubgraphSchema([
      {
        typeDefs: ANALYTICS_TYPE_DEFS,
        resolvers: {
          Country: {
            __resolveReference: (reference: { id: string }) => ({ id: reference.id, mentionCount: MENTIONS[reference.id] ?? 0 }),
          },
          Query: {
            trendingCountries: (_root: unknown, { first }: { first: number }) => {
              const ids = Object.keys(MENTIONS).sort((a, b) => MENTIONS[b]! - MENTIONS[a]!);
              return {
                countries: ids.slice(0, first).map((id) => ({ id, mentionCount: MENTIONS[id] })),
                pageInfo: { hasNextPage: ids.length > first, endCursor: null },
              };
            },
          },
        },
      },
    ]),
  });
}

/** What the knowledge subgraph saw of each request the gateway sent it. */
interface Seen {
  query: string;
  requestId: string;
  roundTrips: number;
}

let client: Neo4jClient;
let knowledge: HttpService;
let analytics: { server: ApolloServer; url: string };
let knowledgeSdl: string;
let composition: CompositionResult;
let gatewayServer: ApolloServer<{ requestId: string }>;
const seen: Seen[] = [];

const recordRequests: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async willSendResponse({ source, contextValue }) {
        seen.push({ query: source ?? '', requestId: contextValue.requestId, roundTrips: contextValue.db.counter.count });
      },
    };
  },
};

beforeAll(async () => {
  client = openTestClient();
  await seedTestDatabase(client);
  knowledge = await serveOnLoopback({ client }, [recordRequests]);
  const server = analyticsServer();
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  analytics = { server, url };

  // The SDL as a router fetches it from a running subgraph.
  const response = await postGraphQL(knowledge.url, { query: '{ _service { sdl } }' });
  knowledgeSdl = response.json.data._service.sdl;
  composition = composeServices([
    { name: 'knowledge', typeDefs: parse(knowledgeSdl), url: `${knowledge.url}/graphql` },
    { name: 'analytics', typeDefs: ANALYTICS_TYPE_DEFS, url: analytics.url },
  ]);
  if (composition.errors) throw new Error(`composition failed: ${composition.errors.map((e) => e.message).join('; ')}`);

  const gateway = new ApolloGateway({
    supergraphSdl: composition.supergraphSdl,
    // Pass the caller's request id on to every subgraph, as a router's header propagation would.
    buildService: ({ url }) =>
      new RemoteGraphQLDataSource<{ requestId: string }>({
        url,
        willSendRequest({ request, context }) {
          if (context.requestId) request.http?.headers.set('x-request-id', context.requestId);
        },
      }),
  });
  // @apollo/gateway 2 implements the gateway interface that Apollo Server 5 takes; only the type packages differ.
  gatewayServer = new ApolloServer<{ requestId: string }>({ gateway: gateway as never });
  await gatewayServer.start();
});

afterAll(async () => {
  await gatewayServer?.stop();
  await analytics?.server.stop();
  await knowledge?.stop();
  await client?.close();
});

async function throughGateway(query: string, requestId: string) {
  const response = await gatewayServer.executeOperation({ query }, { contextValue: { requestId } });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult;
}

/**
 * Composition hints that need no action, each with the reason. Any other hint fails the test, and a WARN-level
 * hint can never be listed here.
 */
const HINTS_NEEDING_NO_ACTION: { code: string; element: string; reason: string }[] = [
  {
    code: 'UNUSED_ENUM_TYPE',
    element: 'CacheControlScope',
    reason:
      'The argument type of @cacheControl, a directive each subgraph defines for its own cache hints; the directive does not reach the supergraph, so its enum is unused there. DEBUG level.',
  },
];

test('the two subgraphs compose with no errors and no hints that need action', () => {
  expect(composition.errors).toBeUndefined();
  const hints = composition.hints ?? [];
  expect(hints.filter((hint) => hint.definition.level.name === 'WARN').map((hint) => hint.message)).toEqual([]);
  const needingAction = hints.filter(
    (hint) =>
      !HINTS_NEEDING_NO_ACTION.some(
        (known) =>
          known.code === hint.definition.code && hint.definition.level.name !== 'WARN' && hint.message.includes(`"${known.element}"`),
      ),
  );
  expect(needingAction.map((hint) => `${hint.definition.code} (${hint.definition.level.name}): ${hint.message}`)).toEqual([]);
  const supergraph = composition.supergraphSdl;
  expect(supergraph).toContain('@join__graph(name: "knowledge"');
  expect(supergraph).toContain('@join__graph(name: "analytics"');
  expect(supergraph).toMatch(/mentionCount: Int! @join__field\(graph: ANALYTICS\)/);
});

test('a query starting in this subgraph picks up a field from the other one', async () => {
  const result = await throughGateway(
    `query CountryWithMentions {
      entity(id: "ukraine") {
        id
        name
        ... on Country { mentionCount leaders { role source { name } } }
      }
    }`,
    'gateway-test-1',
  );
  expect(result.errors).toBeUndefined();
  expect(result.data).toEqual({
    entity: {
      id: 'ukraine',
      name: 'Ukraine',
      mentionCount: 42,
      leaders: expect.arrayContaining([{ role: 'Leader', source: { name: 'Volodymyr Zelensky' } }]),
    },
  });
  // The gateway asked the knowledge subgraph once, passing the request id on.
  expect(seen.filter((s) => s.requestId === 'gateway-test-1')).toHaveLength(1);
});

test('a query starting in the other subgraph resolves our entities in one batched _entities call', async () => {
  const result = await throughGateway(
    `query Trending {
      trendingCountries(first: 4) {
        countries { id name kind mentionCount description }
        pageInfo { hasNextPage }
      }
    }`,
    'gateway-test-2',
  );
  expect(result.errors).toBeUndefined();
  const countries = (
    result.data as { trendingCountries: { countries: { id: string; name: string; kind: string; mentionCount: number }[] } }
  ).trendingCountries.countries;
  expect(countries.map((c) => [c.id, c.name, c.kind, c.mentionCount])).toEqual([
    ['ukraine', 'Ukraine', 'COUNTRY', 42],
    ['russia', 'Russia', 'COUNTRY', 37],
    ['united-states', 'United States', 'COUNTRY', 30],
    ['france', 'France', 'COUNTRY', 12],
  ]);
  const calls = seen.filter((s) => s.requestId === 'gateway-test-2');
  expect(calls).toHaveLength(1);
  expect(calls[0]!.query).toContain('_entities(representations:');
  // Four representations, one Cypher round trip.
  expect(calls[0]!.roundTrips).toBe(1);
});

test('without @shareable on PageInfo in both subgraphs, composition fails: that is what the directive is for', () => {
  const result = composeServices([
    { name: 'knowledge', typeDefs: parse(knowledgeSdl), url: `${knowledge.url}/graphql` },
    {
      name: 'analytics',
      typeDefs: parse(ANALYTICS_TYPE_DEFS.loc!.source.body.replace('type PageInfo @shareable', 'type PageInfo')),
      url: analytics.url,
    },
  ]);
  expect(result.errors?.map((e) => e.extensions.code)).toContain('INVALID_FIELD_SHARING');
});
