/**
 * Look-ahead (src/planner/selection.ts, src/planner/cypher.ts) fetches the relation-backed fields a
 * query selects in the statement that fetches their entities. It must only ever save round trips: every
 * query here gets the same answer (data and errors) with look-ahead as when each field loads on its own,
 * in no more round trips, and the dashboard shapes get theirs in one.
 */
import { getNamedType, isLeafType, isNonNullType, isObjectType, type GraphQLObjectType } from 'graphql';
import { TYPE_NAME_BY_KIND } from '../../src/models/kinds';
import { LOOKAHEAD } from '../../src/limits';
import { buildSchema } from '../../src/schema';
import { TestApi } from '../helpers/graphql';

const schema = buildSchema();

let api: TestApi;

beforeAll(async () => {
  api = await TestApi.start();
  // The seed's control figures are undated; one dated figure shows that `asOf` and `precision` read dates.
  await api.client.write(
    `MATCH (russia:Entity {id: 'russia'})
     CREATE (region:Entity:Region {id: 'la-region', kind: 'REGION', name: 'Lookahead region', aliases: [], evidenceDocuments: []})
     CREATE (russia)-[:CONTROLS {id: 'la-controls', share: 0.4, approximate: true, pointInTime: '2014-08', rank: 'NORMAL', modality: 'ASSERTED',
       evidenceDocuments: ['paris-coalition-summit'], evidenceQuotes: ['test'], evidenceConfidences: [0.5]}]->(region)`,
  );
});

afterAll(async () => {
  await api.client.write(`MATCH (e:Entity {id: 'la-region'}) DETACH DELETE e`);
  await api.stop();
});

/**
 * The answer with look-ahead and without: equal, in no more round trips. Any error fails the test unless
 * the test says it expects errors (then both must give the same ones).
 */
async function compare(query: string, variables: Record<string, unknown> = {}, options: { expectErrors?: boolean } = {}) {
  const ahead = await api.query(query, variables);
  const alone = await api.query(query, variables, { lookahead: false });
  if (options.expectErrors) {
    expect(ahead.errors?.length).toBeGreaterThan(0);
  } else {
    expect(alone.errors).toBeUndefined();
    expect(ahead.errors).toBeUndefined();
  }
  expect(ahead.errors).toEqual(alone.errors);
  expect(ahead.data).not.toBeNull();
  expect(ahead.data).toEqual(alone.data);
  expect(ahead.roundTrips).toBeLessThanOrEqual(alone.roundTrips);
  return { ahead, alone };
}

const ENTITY_PAGE = `query ($id: ID!) {
  entity(id: $id) {
    id kind name aliases description
    relations(first: 50) {
      totalCount
      edges { cursor node { id type role share pointInTime validFrom validTo source { id name kind } target { id name kind } evidence { quote confidence } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

test('an entity page with its facts and both ends of each is one statement', async () => {
  const { ahead, alone } = await compare(ENTITY_PAGE, { id: 'paris-coalition-meeting' });
  expect((ahead.data as any).entity.relations.edges.length).toBeGreaterThan(10);
  expect(ahead.roundTrips).toBe(1);
  expect(alone.roundTrips).toBeGreaterThanOrEqual(3);
});

test('events → participants → countries → CONTROLS facts → regions is one statement', async () => {
  const { ahead } = await compare(`{
    events(first: 10, orderBy: NAME) {
      totalCount
      edges { node { id name startDate ... on Event {
        participants(first: 20) { totalCount edges { node { id name kind
          ... on Country { relations(types: [CONTROLS], direction: OUTGOING, first: 20) { edges { node { id share target { id name } } } } }
        } } }
      } } }
    }
  }`);
  const controls = (ahead.data as any).events.edges.flatMap((e: any) =>
    e.node.participants.edges.flatMap((p: any) => p.node.relations?.edges ?? []),
  );
  expect(controls.map((c: any) => c.node.target.id)).toEqual(expect.arrayContaining(['donetsk-region', 'luhansk-region']));
  expect(ahead.roundTrips).toBe(1);
});

test('every relation-backed field, through interface and type fragments and aliases, agrees', async () => {
  const { ahead } = await compare(`{
    entities(first: 100) {
      edges { node {
        id
        firstTwo: relations(first: 2) { edges { node { id } } pageInfo { hasNextPage } }
        withDeprecated: relations(includeDeprecated: true, first: 200) { totalCount }
        ...Controls
        ... on Region { control { controller { id name } share asOf relation { id source { id } target { id } } } partOf { id name } parts { id } }
        ... on Proposal { proposedBy { id } stances { id type source { id name } target { id } } }
        ... on Person { offices { role source { id } target { id ... on Country { leaders { id source { name } } } } } }
        ... on Event { location { id } participants(first: 3) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }
        ... on Facility { location { name } }
        ... on Country { leaders { role source { id } } }
      } }
    }
  }
  fragment Controls on Entity { controls: relations(types: [CONTROLS], direction: OUTGOING) { totalCount edges { node { target { id kind } } } } }`);
  expect((ahead.data as any).entities.edges).toHaveLength(41); // the seed's 40 and this file's region
  expect(ahead.roundTrips).toBe(1);
});

test('the same field with different dates is fetched once per date', async () => {
  const { ahead } = await compare(`{
    entity(id: "donetsk-region") { ... on Region {
      before: control(asOf: "2014-08-15") { share asOf controller { id } }
      now: control { share asOf controller { id } }
      dated: relations(asOf: "2020", types: [CONTROLS]) { totalCount edges { node { share } } }
    } }
  }`);
  // The seed's figure is undated, so it counts as current: not held in 2014, held now.
  expect((ahead.data as any).entity.before).toEqual([]);
  expect((ahead.data as any).entity.now).toEqual([{ share: 0.75, asOf: null, controller: { id: 'russia' } }]);
  expect(ahead.roundTrips).toBe(1);
});

test('selections deeper than one statement reads still resolve, batched level by level', async () => {
  const { ahead } = await compare(`{
    entity(id: "ukraine") {
      relations(first: 5) { edges { node { target { id
        relations(first: 5) { edges { node { target { id
          relations(first: 5) { edges { node { target { id
            relations(first: 5) { totalCount edges { node { id target { id name } } } }
          } } } }
        } } } }
      } } } }
    }
  }`);
  expect(ahead.roundTrips).toBeGreaterThan(1);
});

test('@include and @skip are honoured', async () => {
  const query = `query ($withFacts: Boolean!, $withoutTotal: Boolean!) {
    entity(id: "russia") { id relations(first: 3) @include(if: $withFacts) { totalCount @skip(if: $withoutTotal) edges { node { target { id } } } } }
  }`;
  for (const withFacts of [true, false]) {
    for (const withoutTotal of [true, false]) {
      const { ahead } = await compare(query, { withFacts, withoutTotal });
      const relations = (ahead.data as any).entity.relations;
      if (!withFacts) {
        expect(relations).toBeUndefined();
        continue;
      }
      expect(relations.edges).toHaveLength(3);
      if (withoutTotal) expect(relations).not.toHaveProperty('totalCount');
      else expect(relations.totalCount).toBeGreaterThan(3);
    }
  }
});

test('a repeated operation reuses what it read ahead only where the same things are selected', async () => {
  // The same alias under two type conditions selects different things below it, and variables change the pages.
  const query = `query ($first: Int!) { entities(first: 100) { edges { node {
    ... on Country { x: relations(first: $first) { totalCount edges { node { target { id name } } } } }
    ... on Person { x: relations(first: $first) { edges { node { target { id aliases ... on Country { leaders { id } } } } } } }
  } } } }`;
  for (const first of [1, 3, 1, 3]) {
    const { ahead } = await compare(query, { first });
    expect(ahead.roundTrips).toBe(1);
  }
});

test('a query with more pages than one statement reads gets the rest on their own, with the same answer', async () => {
  const aliases = Array.from(
    { length: LOOKAHEAD.pagesPerStatement + 6 },
    (_, i) => `r${i}: relations(first: ${i + 1}) { edges { node { id target { id } } } }`,
  );
  const { ahead } = await compare(`{ entity(id: "russia") { id ${aliases.join(' ')} } }`);
  expect(ahead.roundTrips).toBeGreaterThan(1);
  expect((ahead.data as any).entity.r9.edges).toHaveLength(10);
});

test('pages that would multiply past the row budget below one entity load on their own, with the same answer', async () => {
  const { ahead } = await compare(
    `{ entity(id: "russia") { relations(first: 200) { edges { node { target { id relations(first: 200) { totalCount edges { node { id } } } } } } } } }`,
  );
  expect(201 * 201).toBeGreaterThan(LOOKAHEAD.rowsPerEntity);
  // The entity and its facts, then the targets' pages in one batch; Russia, a target of its own facts, reuses
  // its page and counts its total apart.
  expect(ahead.roundTrips).toBe(3);
});

test('a federation reference without an id fails alone, with relation fields selected too', async () => {
  const { ahead } = await compare(
    `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Country { id leaders { id } } } }`,
    {
      representations: [{ __typename: 'Country' }, { __typename: 'Country', id: 'france' }],
    },
    { expectErrors: true },
  );
  expect(ahead.errors?.[0]?.path).toEqual(['_entities', 0]);
  expect((ahead.data as any)._entities[1].id).toBe('france');
});

test('requests with large variables are answered alike, and their look-ahead is not shared across requests', async () => {
  const query = `query ($id: ID!, $padding: String!) { entity(id: $id) { id relations(first: 2) { edges { node { target { id } } } } } search(text: $padding, first: 1) { score } }`;
  const planned = () => api.plans.size;
  const before = planned();
  for (let i = 0; i < 2; i += 1) {
    const { ahead } = await compare(query, { id: 'russia', padding: 'x'.repeat(10_000) });
    expect(ahead.roundTrips).toBeLessThanOrEqual(2);
  }
  expect(planned()).toBe(before);
  // The same operation with small variables is shared: one plan, kept for the next request.
  await compare(query, { id: 'russia', padding: 'x' });
  const shared = planned();
  expect(shared).toBeGreaterThan(before);
  await compare(query, { id: 'russia', padding: 'x' });
  expect(planned()).toBe(shared);
});

test('the next page, from a cursor, agrees', async () => {
  const first = await api.data(`{ entity(id: "russia") { relations(first: 3) { pageInfo { endCursor } } } }`);
  const { ahead } = await compare(
    `query ($after: String) { entity(id: "russia") { relations(first: 3, after: $after) { edges { node { id source { id } target { id } } } } } }`,
    {
      after: first.entity.relations.pageInfo.endCursor,
    },
  );
  expect((ahead.data as any).entity.relations.edges).toHaveLength(3);
});

test('bad arguments below an entity are reported at their own path, as without look-ahead', async () => {
  const { ahead } = await compare(
    `{ entity(id: "russia") { id relations(first: 500) { edges { node { id } } } } }`,
    {},
    { expectErrors: true },
  );
  expect(ahead.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  expect(ahead.errors?.[0]?.path).toEqual(['entity', 'relations']);
});

test('_entities and the timeline look ahead too', async () => {
  const entities = await compare(
    `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Country { id leaders { source { id name } } relations(first: 3) { edges { node { target { id } } } } } } }`,
    { representations: ['france', 'ukraine', 'russia', 'united-states'].map((id) => ({ __typename: 'Country', id })) },
  );
  expect(entities.ahead.roundTrips).toBe(1);
  const timeline = await compare(
    `{ timeline(entityId: "ukraine", first: 5) { totalCount edges { node { id ... on Event { participants(first: 5) { edges { node { id name } } } } } } } }`,
  );
  expect(timeline.ahead.roundTrips).toBe(1);
});

/** A selection of every leaf field of a type, one level deep (entities by id and name). */
function leaves(typeName: string): string {
  const type = schema.getType(typeName);
  if (!isObjectType(type)) return '{ __typename ... on Entity { id name } }';
  const fields = Object.values(type.getFields()).filter((f) => f.args.every((a) => a.defaultValue !== undefined || !isNonNullType(a.type)));
  return `{ ${fields.map((f) => (isLeafType(getNamedType(f.type)) ? f.name : `${f.name} { __typename }`)).join(' ')} }`;
}

/** Each field selected on its own, so that the request reads only what that field needs. */
function fieldSelection(typeName: string, field: string): string {
  const type = (schema.getType(typeName) as GraphQLObjectType).getFields()[field]!;
  const named = getNamedType(type.type);
  return isLeafType(named) ? field : `${field} ${leaves(named.name)}`;
}

/** The nodes of a list answer that are of `typeName`: each must carry the selected field. */
function checkShape(nodes: any[], typeName: string, field: string) {
  const ofType = nodes.filter((node) => node.__typename === typeName);
  expect({ typeName, field, found: ofType.length > 0 }).toEqual({ typeName, field, found: true });
  for (const node of ofType) expect(node).toHaveProperty(field);
}

test('each entity field, selected alone, reads what it needs: the same answer as reading whole nodes', async () => {
  for (const typeName of Object.values(TYPE_NAME_BY_KIND)) {
    const type = schema.getType(typeName) as GraphQLObjectType;
    for (const field of Object.keys(type.getFields())) {
      const { ahead } = await compare(
        `{ entities(first: 200, kinds: [${Object.entries(TYPE_NAME_BY_KIND).find(([, name]) => name === typeName)![0]}]) { edges { node { __typename id ... on ${typeName} { ${fieldSelection(typeName, field)} } } } } }`,
      );
      checkShape(
        (ahead.data as any).entities.edges.map((e: any) => e.node),
        typeName,
        field,
      );
    }
  }
});

test('each fact field, selected alone, reads what it needs', async () => {
  for (const field of Object.keys((schema.getType('Relation') as GraphQLObjectType).getFields())) {
    const { ahead } = await compare(
      `{ entities(first: 100) { edges { node { relations(first: 200, includeDeprecated: true) { edges { node { __typename ${fieldSelection('Relation', field)} } } } } } } }`,
    );
    const facts = (ahead.data as any).entities.edges.flatMap((e: any) => e.node.relations.edges.map((r: any) => r.node));
    checkShape(facts, 'Relation', field);
  }
  for (const field of Object.keys((schema.getType('TerritorialControl') as GraphQLObjectType).getFields())) {
    const { ahead } = await compare(
      `{ regions(first: 100) { edges { node { ... on Region { control { __typename ${fieldSelection('TerritorialControl', field)} } } } } } }`,
    );
    const figures = (ahead.data as any).regions.edges.flatMap((e: any) => e.node.control);
    checkShape(figures, 'TerritorialControl', field);
  }
});
