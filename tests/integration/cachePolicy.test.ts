/**
 * The cache policy worked out from the operation (src/cachePolicy.ts) against Apollo's own cache-control
 * plugin, which hooks every field as it resolves: the same `Cache-Control` header for every query of the
 * README and the benchmark, and for the cases its rules single out, run on the real seed graph.
 */
import { ApolloServer, type GraphQLResponse } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import { getIntrospectionQuery } from 'graphql';
import { chooseFixtures } from '../../bench/fixtures';
import { OPERATIONS } from '../../bench/operations';
import { createContext, createServices, type Context } from '../../src/context';
import type { Neo4jClient } from '../../src/db/neo4jClient';
import { buildSchema } from '../../src/schema';
import { createServer, DEFAULT_INGEST_LIMITS } from '../../src/server';
import { openTestClient, seedTestDatabase, silentLogger } from '../helpers/graphql';
import { readmeQueries } from '../helpers/readme';

let client: Neo4jClient;
let ours: ApolloServer<Context>;
let apollos: ApolloServer<Context>;

beforeAll(async () => {
  client = openTestClient();
  await seedTestDatabase(client);
  ours = (await createServer({ config: { env: 'test', introspection: true }, client, logger: silentLogger })).apollo;
  apollos = new ApolloServer<Context>({ schema: buildSchema(), plugins: [ApolloServerPluginCacheControl()] });
  await apollos.start();
});

afterAll(async () => {
  await ours.stop();
  await apollos.stop();
  await client.close();
});

async function header(server: ApolloServer<Context>, query: string, variables: Record<string, unknown> = {}) {
  const contextValue = createContext(client, silentLogger, 'cache-policy-test', createServices(client, DEFAULT_INGEST_LIMITS));
  const response: GraphQLResponse = await server.executeOperation({ query, variables }, { contextValue });
  return response.http.headers.get('cache-control');
}

async function both(query: string, variables: Record<string, unknown> = {}) {
  return { ours: await header(ours, query, variables), apollo: await header(apollos, query, variables) };
}

test('every README query gets the header Apollo would give it', async () => {
  const queries = readmeQueries();
  expect(queries.length).toBeGreaterThanOrEqual(10);
  const differ: string[] = [];
  for (const query of queries) {
    const { ours: mine, apollo } = await both(query);
    if (mine !== apollo) differ.push(`${query.slice(0, 60)}: ours ${mine}, Apollo ${apollo}`);
  }
  expect(differ).toEqual([]);
});

test('every benchmark operation gets the header Apollo would give it, and a positive max-age', async () => {
  const fixtures = await chooseFixtures(client, { synthetic: false });
  for (const operation of OPERATIONS) {
    const { query, variables } = operation.ours(fixtures);
    const { ours: mine, apollo } = await both(query, variables);
    expect({ operation: operation.name, header: mine }).toEqual({ operation: operation.name, header: apollo });
    expect(mine).toMatch(/^max-age=[1-9]\d*, public$/);
  }
});

test.each([
  ['a type hint (Entity, 300 s)', '{ entity(id: "ukraine") { id name } }', 'max-age=300, public'],
  [
    'the least maxAge of the fields: a change (10 s) beside an entity',
    '{ entity(id: "ukraine") { id } changes(first: 1) { totalCount } }',
    'max-age=10, public',
  ],
  ['a root field without a hint is not cacheable', '{ suggestEntities(text: "Ukraine") { text } }', 'no-store'],
  ['nothing but __typename: no field, no policy', '{ __typename }', 'no-store'],
  ['introspection', getIntrospectionQuery(), 'no-store'],
  ['an answer with an error', '{ entity(id: "ukraine") { relations(first: -1) { totalCount } } }', 'no-store'],
  ['an operation that does not validate', '{ nonsense }', 'no-store'],
  [
    'fields through an interface, type fragments and a named fragment',
    '{ entity(id: "volodymyr-zelensky") { ...on Person { offices { id target { name } } } ...F } } fragment F on Entity { relations(first: 2) { edges { node { evidence { quote } } } } }',
    'max-age=300, public',
  ],
])('%s: the same header as Apollo', async (_name, query, expected) => {
  const { ours: mine, apollo } = await both(query);
  expect(apollo).toBe(expected);
  expect(mine).toBe(apollo);
});

test('a mutation is never cacheable', async () => {
  const mutation = 'mutation { deprecateRelation(id: "no-such-fact", reason: "test") { id } }';
  expect(await header(ours, mutation)).toBe('no-store');
});

test("_entities takes the hints of the types its representations name, per request's variables", async () => {
  const query = 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Country { id } ... on Change { id } } }';
  const countries = { r: [{ __typename: 'Country', id: 'ukraine' }] };
  const withChange = {
    r: [
      { __typename: 'Country', id: 'ukraine' },
      { __typename: 'Change', id: 'no-such-change' },
    ],
  };
  // The same document twice, with different variables: the policy is not reused across them.
  for (const [variables, expected] of [
    [countries, 'max-age=300, public'],
    [withChange, 'max-age=10, public'],
    [countries, 'max-age=300, public'],
  ] as const) {
    const { ours: mine, apollo } = await both(query, variables);
    expect(apollo).toBe(expected);
    expect(mine).toBe(apollo);
  }
});
