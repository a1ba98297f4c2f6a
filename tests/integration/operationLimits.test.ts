/**
 * Operation limits (src/operationLimits.ts) through the real server and database: what an attacker sends is
 * refused up front, naming the limit, with no Cypher round trip; what Sandbox, a federation gateway, the
 * README, the benchmark and the explorer send still passes. Their queries are read from those files.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { getIntrospectionQuery, Kind, parse, print, specifiedRules, validate, type OperationDefinitionNode } from 'graphql';
import { chooseFixtures } from '../../bench/fixtures';
import { OPERATIONS } from '../../bench/operations';
import { OPERATION_LIMITS, settingDefaults } from '../../src/limits';
import { operationLimits } from '../../src/operationLimits';
import { buildSchema } from '../../src/schema';
import { TestApi, type GraphQLResult } from '../helpers/graphql';
import { readmeQueries } from '../helpers/readme';

const ROOT = path.resolve(__dirname, '..', '..');
const schema = buildSchema();
const limitsSetup = operationLimits(settingDefaults(OPERATION_LIMITS));
const limits = { depth: OPERATION_LIMITS.maxDepth.default, aliases: OPERATION_LIMITS.maxAliases.default };

let api: TestApi;
beforeAll(async () => {
  api = await TestApi.start();
});
afterAll(async () => {
  await api.stop();
});

/** Nested `relations → edges → node → source` selections: 4 levels of depth each, plus `entity` and `id`. */
function nested(levels: number): string {
  let selection = 'id';
  for (let i = 0; i < levels; i += 1) selection = `id relations(first: 1) { edges { node { source { ${selection} } } } }`;
  return `{ entity(id: "ukraine") { ${selection} } }`;
}

const aliases = (count: number, field = 'stats { entityCount }') =>
  `{ ${Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ')} }`;

/** Fragments that each spread every fragment of the next layer `spreads` times, `layers` deep. */
function fragmentBomb(layers: number, width: number, spreads: number): string {
  const name = (layer: number, i: number) => `L${layer}_${i}`;
  const fragments: string[] = [];
  for (let layer = 1; layer <= layers; layer += 1) {
    for (let i = 0; i < width; i += 1) {
      const body =
        layer === layers
          ? 'stats { entityCount }'
          : Array.from({ length: width }, (_, j) =>
              Array(spreads)
                .fill(`...${name(layer + 1, j)}`)
                .join(' '),
            ).join(' ');
      fragments.push(`fragment ${name(layer, i)} on Query { ${body} }`);
    }
  }
  return `{ ${Array.from({ length: width }, (_, i) => `...${name(1, i)}`).join(' ')} }\n${fragments.join('\n')}`;
}

function ofTypeChain(levels: number): string {
  let selection = 'name';
  for (let i = 0; i < levels; i += 1) selection = `kind ofType { ${selection} }`;
  return `{ __schema { types { fields { type { ${selection} } } } } }`;
}

async function refused(query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResult<unknown> & { ms: number }> {
  const started = performance.now();
  const result = await api.query(query, variables);
  return { ...result, ms: performance.now() - started };
}

describe('refused up front, naming the limit, with no database work', () => {
  test.each([
    ['nested 30 levels', nested(7), 'maxDepth'],
    ['nested 100 levels', nested(25), 'maxDepth'],
    ['nested 1,000 levels', nested(250), 'maxDepth'],
    ['100 aliases', aliases(100), 'maxAliases'],
    ['1,000 aliases', aliases(1_000), 'maxTokens'],
    ['10,000 aliases', aliases(10_000), 'maxTokens'],
    [
      '2,000 aliased fields with @include',
      `{ ${Array.from({ length: 2_000 }, (_, i) => `a${i}: stats @include(if: true) { entityCount }`).join(' ')} }`,
      'maxTokens',
    ],
    [
      '100 fields with @include',
      `{ ${Array.from({ length: 100 }, () => `stats @include(if: true) { entityCount }`).join(' ')} }`,
      'maxDirectives',
    ],
    ['fragments spreading 10 others 10 times, four layers deep', fragmentBomb(4, 10, 10), 'maxTokens'],
    ['fragments spreading 5 others 4 times, five layers deep', fragmentBomb(5, 5, 4), 'maxCost'],
    ['introspection nested 20 levels through ofType', ofTypeChain(20), 'maxDepth'],
    ['introspection nested 100 levels through ofType', ofTypeChain(100), 'maxDepth'],
    [
      '_entities with 1,000 aliased calls',
      aliases(1_000, '_entities(representations: [{ __typename: "Country", id: "ukraine" }]) { ... on Country { name } }'),
      'maxTokens',
    ],
    [
      'a page size that multiplies past the cost',
      '{ events(first: 200) { edges { node { participants(first: 200) { edges { node { id relations(first: 200) { totalCount } } } } } } } }',
      'maxCost',
    ],
  ])('%s', async (_name, query, limit) => {
    const result = await refused(query);
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.extensions).toMatchObject({ limit });
    expect(result.errors?.[0]?.extensions?.code).toMatch(/^GRAPHQL_(PARSE|VALIDATION)_FAILED$/);
    expect(result.errors?.[0]?.message).toContain(OPERATION_LIMITS[limit as keyof typeof OPERATION_LIMITS].variable);
    expect(result.roundTrips).toBe(0);
    expect(result.ms).toBeLessThan(1_000);
  });

  test('page sizes passed as variables multiply the cost as literal ones do', async () => {
    const query = `query ($events: Int, $people: Int) {
      events(first: $events) { edges { node { participants(first: $people) { edges { node { id relations(first: $people) { totalCount } } } } } } }
    }`;
    const small = await api.query(query, { events: 2, people: 2 });
    expect(small.errors).toBeUndefined();
    const large = await refused(query, { events: 200, people: 200 });
    expect(large.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'maxCost' });
    expect(large.errors?.[0]?.message).toMatch(/cost is \d+, more than the maximum of 250000/);
    expect(large.roundTrips).toBe(0);
  });

  test('neighborhood depth and limit passed as variables multiply the cost', async () => {
    const query = `query ($depth: Int, $limit: Int) {
      neighborhood(id: "ukraine", depth: $depth, limit: $limit) { nodes { id relations(first: 200) { edges { node { id } } } } }
    }`;
    expect((await api.query(query, { depth: 1, limit: 5 })).errors).toBeUndefined();
    const large = await refused(query, { depth: 3, limit: 500 });
    expect(large.errors?.[0]?.extensions).toMatchObject({ limit: 'maxCost' });
    expect(large.roundTrips).toBe(0);
  });

  test('an out-of-range page size is charged at its maximum and refused by its own check, naming the argument', async () => {
    const result = await api.query('{ people(first: 1000000) { totalCount } }');
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'first' });
    expect(result.roundTrips).toBe(0);
  });
});

describe('what real clients send still passes', () => {
  test("Apollo Sandbox's introspection: graphql-js's query with every option, and deeper `ofType` chains", async () => {
    const sandbox = getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
    });
    const result = await api.query(sandbox);
    expect(result.errors).toBeUndefined();
    expect((result.data as any).__schema.types.length).toBeGreaterThan(50);
    // Tools that ask for more levels of wrapping types than graphql-js's 7 (GraphiQL 3 asks for 9).
    expect((await api.query(ofTypeChain(9))).errors).toBeUndefined();
  });

  test("a federation gateway's _entities batch of 500 representations", async () => {
    const ids = ['ukraine', 'russia', 'united-states', 'france', 'united-kingdom'];
    const representations = Array.from({ length: 500 }, (_, i) => ({ __typename: 'Country', id: ids[i % ids.length] }));
    const result = await api.query<{ _entities: ({ id: string } | null)[] }>(
      'query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Entity { id name kind } } }',
      { representations },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toHaveLength(500);
  });

  const readme = readmeQueries();

  test('the README has its example queries', () => {
    expect(readme.length).toBeGreaterThanOrEqual(10);
  });

  test.each(
    readme.map((query) => [
      query
        .split('\n')
        .find((line) => line.trim() !== '{')!
        .trim(),
      query,
    ]),
  )('README: %s', async (_first, query) => {
    const result = await api.query(query);
    expect(result.errors).toBeUndefined();
  });

  test('every operation of the benchmark, with its fixtures on the seed graph', async () => {
    const fixtures = await chooseFixtures(api.client, { synthetic: false });
    const failures: string[] = [];
    for (const operation of OPERATIONS) {
      const { query, variables } = operation.ours(fixtures);
      const result = await api.query(query, variables);
      if (result.errors) failures.push(`${operation.name}: ${JSON.stringify(result.errors)}`);
    }
    expect(failures).toEqual([]);
  });

  test('every operation of the explorer, at the largest sizes its controls allow', async () => {
    const document = parse(readFileSync(path.join(ROOT, 'explorer', 'src', 'operations.graphql'), 'utf8'));
    const fragments = document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
    /** The operation and the fragments it spreads, directly or through other fragments. */
    const withFragments = (operation: OperationDefinitionNode) => {
      let text = print(operation);
      for (let added = true; added;) {
        added = false;
        for (const fragment of fragments) {
          if (text.includes(`...${fragment.name.value}`) && !text.includes(`fragment ${fragment.name.value} `)) {
            text += `\n${print(fragment)}`;
            added = true;
          }
        }
      }
      return text;
    };
    const values: Record<string, unknown> = {
      id: 'paris-coalition-meeting',
      fromId: 'jared-kushner',
      toId: 'volodymyr-zelensky',
      entityId: 'ukraine',
      text: 'Zelensky',
      first: 100,
      depth: 3,
      limit: 500,
      maxHops: 6,
      asOf: '2025-06',
      includeDeprecated: true,
    };
    const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    expect(operations.length).toBeGreaterThanOrEqual(5);
    const failures: string[] = [];
    for (const operation of operations) {
      const query = withFragments(operation);
      const variables = Object.fromEntries(
        (operation.variableDefinitions ?? []).map((v) => [v.variable.name.value, values[v.variable.name.value]]),
      );
      if (operation.operation === 'subscription') {
        // Served over WebSocket (tests/integration/subscriptions.test.ts): here, checked against the same limits.
        const problems = validate(schema, parse(query), [...specifiedRules, ...limitsSetup.validationRules]);
        const tooCostly = limitsSetup.costRefusal({ schema, document: parse(query), request: { variables } });
        for (const problem of [...problems, ...(tooCostly ? [tooCostly] : [])])
          failures.push(`${operation.name?.value}: ${problem.message}`);
        continue;
      }
      const result = await api.query(query, variables);
      if (result.errors) failures.push(`${operation.name?.value}: ${JSON.stringify(result.errors)}`);
    }
    expect(failures).toEqual([]);
  });

  test(`the defaults leave room: depth ${limits.depth}, ${limits.aliases} aliases`, async () => {
    expect((await api.query(nested(3))).errors).toBeUndefined();
    expect((await api.query(aliases(limits.aliases))).errors).toBeUndefined();
    expect((await api.query(aliases(limits.aliases + 1))).errors?.[0]?.extensions).toMatchObject({ limit: 'maxAliases' });
  });
});
