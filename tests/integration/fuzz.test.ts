/**
 * Random operations generated from the schema (fast-check), valid and invalid, sent over real HTTP to the
 * service on the real test database, for a bounded number of runs. Whatever comes back must be below 500,
 * without INTERNAL_SERVER_ERROR or a stack trace, and the graph's counts must not move. A failure prints the
 * seed and the shrunk operation; FUZZ_SEED and FUZZ_RUNS replay or lengthen a run.
 */
import fc from 'fast-check';
import {
  getNamedType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import type { Neo4jClient } from '../../src/db/neo4jClient';
import { buildSchema } from '../../src/schema';
import { openTestClient, seedTestDatabase } from '../helpers/graphql';
import { postGraphQL, serveOnLoopback, type HttpService } from '../helpers/httpServer';
import { STACK_TRACE } from '../helpers/stackTrace';

const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const MAX_DEPTH = 5;

const schema: GraphQLSchema = buildSchema();
const IDS = ['ukraine', 'russia', 'paris-coalition-meeting', 'emmanuel-macron', 'donetsk-region', 'nobody', ''];
const HOSTILE = ["' OR 1=1 //", '") DETACH DELETE n //', '*:*', '\\', '"', 'a~ AND (b OR', '\u0000', '$id', '`x`'];

type Draw = fc.GeneratorValue;

/** One of the items, drawn by index so that a failure prints small values. */
function pick<T>(draw: Draw, items: readonly T[]): T {
  return items[draw(fc.integer, { min: 0, max: items.length - 1 })]!;
}

function literal(draw: Draw, type: GraphQLInputType, depth = 0): string {
  if (isNonNullType(type)) return literal(draw, type.ofType, depth);
  if (draw(fc.integer, { min: 0, max: 19 }) === 0) return 'null';
  if (isListType(type)) {
    const count = draw(fc.integer, { min: 0, max: 3 });
    return `[${Array.from({ length: count }, () => literal(draw, type.ofType, depth + 1)).join(', ')}]`;
  }
  if (isInputObjectType(type)) {
    if (depth > 3) return '{}';
    const fields = Object.values(type.getFields()).filter(() => draw(fc.boolean));
    return `{ ${fields.map((f) => `${f.name}: ${literal(draw, f.type, depth + 1)}`).join(', ')} }`;
  }
  if (isEnumType(type)) {
    const values = type.getValues().map((v) => v.name);
    return draw(fc.integer, { min: 0, max: 9 }) === 0 ? 'NOT_A_VALUE' : pick(draw, values);
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'Int':
        return String(
          draw(() => fc.oneof(fc.integer({ min: -3, max: 210 }), fc.constantFrom(0, 500, 2147483647, -2147483648), fc.integer())),
        );
      case 'Float':
        return String(draw(fc.double, { noNaN: true, noDefaultInfinity: true }));
      case 'Boolean':
        return String(draw(fc.boolean));
      case 'Date':
        return JSON.stringify(
          draw(() => fc.oneof(fc.constantFrom('2022', '2022-03', '2025-06-01', '2022-13', 'yesterday', ''), fc.string())),
        );
      case 'ID':
        return JSON.stringify(draw(() => fc.oneof(fc.constantFrom(...IDS), fc.constantFrom(...HOSTILE), fc.string())));
      case 'String':
        return JSON.stringify(
          draw(() => fc.oneof(fc.constantFrom('Macron', 'Kyiv', 'the Kremlin'), fc.constantFrom(...HOSTILE), fc.string())),
        );
      default:
        // _Any, _FieldSet and other federation scalars: an entity reference or junk.
        return pick(draw, ['{ __typename: "Country", id: "ukraine" }', '"x"', '{}', '[1]']);
    }
  }
  return 'null';
}

function selection(draw: Draw, type: GraphQLNamedType, depth: number): string {
  if (isUnionType(type) || (isInterfaceType(type) && draw(fc.boolean))) {
    const possible = schema.getPossibleTypes(type);
    const chosen = pick(draw, possible);
    return `__typename ... on ${chosen.name} { ${selection(draw, chosen, depth)} }`;
  }
  if (!isObjectType(type) && !isInterfaceType(type)) return '';
  const fields = Object.values(type.getFields()).filter((f) => depth < MAX_DEPTH || isLeafType(getNamedType(f.type)));
  if (fields.length === 0) return '__typename';
  const count = draw(fc.integer, { min: 1, max: 4 });
  const parts: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const field = pick(draw, fields);
    const alias = draw(fc.integer, { min: 0, max: 5 }) === 0 ? `a${i}: ` : '';
    const args = field.args.filter((arg) => isNonNullType(arg.type) || draw(fc.boolean));
    const argText = args.length > 0 ? `(${args.map((arg) => `${arg.name}: ${literal(draw, arg.type)}`).join(', ')})` : '';
    const named = getNamedType(field.type);
    const sub = isCompositeType(named) ? ` { ${selection(draw, named, depth + 1) || '__typename'} }` : '';
    parts.push(`${alias}${field.name}${argText}${sub}`);
  }
  return parts.join(' ');
}

/** A random operation on Query; one in eight is mangled into something that may not even parse. */
function operation(draw: Draw): string {
  const query = `{ ${selection(draw, schema.getQueryType()!, 1)} }`;
  if (draw(fc.integer, { min: 0, max: 7 }) !== 0) return query;
  const at = draw(fc.integer, { min: 0, max: query.length });
  return query.slice(0, at) + pick(draw, ['', '{', '}', '(', '$', '@skip', '...', '"', '#']) + query.slice(at + 1);
}

let client: Neo4jClient;
let service: HttpService;

async function graphCounts(): Promise<string> {
  const [row] = await client.read(
    'CALL () { MATCH (n) RETURN count(n) AS nodes } CALL () { MATCH ()-[r]->() RETURN count(r) AS rels } RETURN nodes, rels',
  );
  return JSON.stringify(row);
}

beforeAll(async () => {
  client = openTestClient();
  await seedTestDatabase(client);
  service = await serveOnLoopback({ client });
});
afterAll(async () => {
  await service.stop();
  await client.close();
});

test(`${RUNS} random operations: never a 5xx, INTERNAL_SERVER_ERROR or stack trace, and the graph is unchanged`, async () => {
  const before = await graphCounts();
  const outcomes = new Map<string, number>();
  await fc.assert(
    fc.asyncProperty(fc.gen(), async (draw) => {
      const query = operation(draw);
      const answer = await postGraphQL(service.url, { query });
      const code = String(answer.json?.errors?.[0]?.extensions?.code ?? (answer.status === 200 ? 'ok' : answer.status));
      outcomes.set(code, (outcomes.get(code) ?? 0) + 1);
      expect(answer.status).toBeLessThan(500);
      expect(answer.text).not.toContain('INTERNAL_SERVER_ERROR');
      expect(answer.text).not.toMatch(STACK_TRACE);
    }),
    { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}), endOnFailure: true },
  );
  expect(await graphCounts()).toEqual(before);
  // The generator reaches both answers and refusals, or it tests little.
  expect(outcomes.get('ok') ?? 0).toBeGreaterThan(0);
  expect([...outcomes.keys()].filter((code) => code !== 'ok').length).toBeGreaterThan(1);
}, 240_000);
