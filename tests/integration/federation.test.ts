/**
 * The service as a Federation 2 subgraph, as a router or gateway calls it: `_entities` for every entity
 * type (batched: one Cypher round trip per loader, however many representations), and `_service { sdl }`.
 * Real schema, real resolvers, real test database.
 */
import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import { Kind, parse, print } from 'graphql';
import { buildSchema } from '../../src/schema';
import { TestApi } from '../helpers/graphql';

let api: TestApi;
/** A few ids of each entity kind, one relation's and one document's, read from the seeded test database. */
let idsByKind: Record<string, string[]>;
let relationIds: string[];
let documentIds: string[];

const ENTITY_TYPES = ['Person', 'Country', 'Organization', 'Group', 'Region', 'City', 'Facility', 'Proposal', 'Policy', 'Event'] as const;
const KIND_OF: Record<(typeof ENTITY_TYPES)[number], string> = {
  Person: 'PERSON',
  Country: 'COUNTRY',
  Organization: 'ORGANIZATION',
  Group: 'GROUP',
  Region: 'REGION',
  City: 'CITY',
  Facility: 'FACILITY',
  Proposal: 'PROPOSAL',
  Policy: 'POLICY',
  Event: 'EVENT',
};

const ENTITIES = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    __typename
    ... on Entity { id kind name }
    ... on Relation { id type source { id } }
    ... on Document { id title }
  }
}`;

type Representation = { __typename: string; id: string };
type Resolved = { __typename: string; id: string; kind?: string; name?: string; type?: string; title?: string } | null;

async function resolve(representations: Representation[]) {
  const result = await api.query<{ _entities: Resolved[] }>(ENTITIES, { representations });
  return { entities: result.data?._entities, errors: result.errors, roundTrips: result.roundTrips };
}

beforeAll(async () => {
  api = await TestApi.start();
  const kinds = await api.client.read<{ kind: string; ids: string[] }>(
    'MATCH (e:Entity) WITH e.kind AS kind, e.id AS id ORDER BY id RETURN kind, collect(id)[0..3] AS ids',
  );
  idsByKind = Object.fromEntries(kinds.map((row) => [row.kind, row.ids]));
  relationIds = (
    await api.client.read<{ id: string }>('MATCH (:Entity)-[r]->(:Entity) WHERE r.id IS NOT NULL RETURN r.id AS id ORDER BY id LIMIT 3')
  ).map((r) => r.id);
  documentIds = (await api.client.read<{ id: string }>('MATCH (d:Document) RETURN d.id AS id ORDER BY id LIMIT 3')).map((r) => r.id);
});
afterAll(async () => {
  await api.stop();
});

describe('_entities', () => {
  test('the test database has at least one entity of every kind, a relation and a document', () => {
    for (const type of ENTITY_TYPES) expect(idsByKind[KIND_OF[type]]?.length ?? 0).toBeGreaterThan(0);
    expect(relationIds.length).toBeGreaterThan(0);
    expect(documentIds.length).toBeGreaterThan(0);
  });

  test.each(ENTITY_TYPES)('%s: known ids resolve, unknown ids and ids of another kind are null, in one round trip', async (type) => {
    const known = idsByKind[KIND_OF[type]]!;
    // An id that exists, but as an entity of another kind: a Person reference must not resolve to a Country.
    const otherKind = type === 'Country' ? idsByKind.PERSON![0]! : idsByKind.COUNTRY![0]!;
    const { entities, errors, roundTrips } = await resolve([
      ...known.map((id) => ({ __typename: type, id })),
      { __typename: type, id: 'no-such-entity' },
      { __typename: type, id: otherKind },
    ]);
    expect(errors).toBeUndefined();
    expect(entities).toEqual([...known.map((id) => expect.objectContaining({ __typename: type, id, kind: KIND_OF[type] })), null, null]);
    expect(roundTrips).toBe(1);
  });

  test('Relation: known ids resolve and an unknown id is null, in one round trip per level', async () => {
    const { entities, errors, roundTrips } = await resolve(
      [...relationIds, 'no-such-relation'].map((id) => ({ __typename: 'Relation', id })),
    );
    expect(errors).toBeUndefined();
    expect(entities).toEqual([...relationIds.map((id) => expect.objectContaining({ __typename: 'Relation', id })), null]);
    // The relations, then their source entities (one batch for all of them).
    expect(roundTrips).toBe(2);
  });

  test('Document: known ids resolve and an unknown id is null, in one round trip', async () => {
    const { entities, errors, roundTrips } = await resolve(
      [...documentIds, 'no-such-document'].map((id) => ({ __typename: 'Document', id })),
    );
    expect(errors).toBeUndefined();
    expect(entities).toEqual([
      ...documentIds.map((id) => expect.objectContaining({ __typename: 'Document', id, title: expect.any(String) })),
      null,
    ]);
    expect(roundTrips).toBe(1);
  });

  test('every type at once: the cost follows the loaders, not the number of representations', async () => {
    const representations: Representation[] = [
      ...ENTITY_TYPES.flatMap((type) => [...idsByKind[KIND_OF[type]]!, 'no-such-entity'].map((id) => ({ __typename: type, id }))),
      ...[...documentIds, 'no-such-document'].map((id) => ({ __typename: 'Document', id })),
    ];
    expect(representations.length).toBeGreaterThan(20);
    const { entities, errors, roundTrips } = await resolve(representations);
    expect(errors).toBeUndefined();
    expect(entities).toHaveLength(representations.length);
    entities!.forEach((entity, i) => {
      const { __typename, id } = representations[i]!;
      if (id.startsWith('no-such-')) expect(entity).toBeNull();
      else expect(entity).toMatchObject({ __typename, id });
    });
    // One batch for the ten entity types (they share the entity loader) and one for documents.
    expect(roundTrips).toBe(2);
  });

  test('fields below the resolved entities are batched too', async () => {
    const countries = idsByKind.COUNTRY!;
    const result = await api.query<{ _entities: ({ id: string; leaders: { id: string }[] } | null)[] }>(
      `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Country { id leaders { id } } } }`,
      { representations: countries.map((id) => ({ __typename: 'Country', id })) },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!._entities.map((c) => c?.id)).toEqual(countries);
    // The countries and the HOLDS_OFFICE facts of all of them, in one statement (look-ahead).
    expect(result.roundTrips).toBe(1);
  });

  test('a representation without the key field fails alone, not the request', async () => {
    const country = idsByKind.COUNTRY![0]!;
    const result = await api.query<{ _entities: Resolved[] }>(ENTITIES, {
      representations: [{ __typename: 'Country', id: country }, { __typename: 'Country' }],
    });
    expect(result.data?._entities[0]).toMatchObject({ __typename: 'Country', id: country });
    expect(result.data?._entities[1]).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.path).toEqual(['_entities', 1]);
  });
});

describe('_service', () => {
  test('serves the subgraph SDL, with a key on every entity type and the same schema `npm run schema:print` prints', async () => {
    const data = await api.data<{ _service: { sdl: string } }>('{ _service { sdl } }');
    // _service also spells out the federation definitions (_Any, _Entity, link__Purpose...); printed again
    // through printSubgraphSchema it is exactly the checked-in artifact's form.
    expect(printSubgraphSchema(buildSubgraphSchema(parse(data._service.sdl)))).toBe(printSubgraphSchema(buildSchema()));
    expect(data._service.sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.7"');
    const directivesOf = new Map(
      parse(data._service.sdl)
        .definitions.filter((d) => d.kind === Kind.OBJECT_TYPE_DEFINITION)
        .map((d) => [d.name.value, (d.directives ?? []).map(print)]),
    );
    for (const type of [...ENTITY_TYPES, 'Relation', 'Document']) expect(directivesOf.get(type)).toContain('@key(fields: "id")');
    expect(directivesOf.get('PageInfo')).toContain('@shareable');
  });
});
