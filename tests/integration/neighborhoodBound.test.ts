/**
 * `neighborhood` never expands a hub without bound (src/data/exploration.ts, NEIGHBORHOOD_EXPANSION): each
 * entity adds at most `perEntity` neighbours, in the order the SDL states, and an entity with more than
 * `hubFacts` facts is drawn but not expanded unless it is the centre. Test records have ids starting with
 * `bound-test-` and are removed before and after.
 */
import { documentRow, entityRow, relationRow, writeDocuments, writeEntities, writeRelations } from '../../src/data/writer';
import { NEIGHBORHOOD_EXPANSION } from '../../src/limits';
import type { EntityWrite, RelationWrite } from '../../src/models/write';
import { TestApi } from '../helpers/graphql';

const PREFIX = 'bound-test-';
const DOC = `${PREFIX}doc`;
const QUOTE = 'A made-up dispatch.';
const evidence = [{ documentId: DOC, quote: QUOTE, confidence: 0.9 }];
const { perEntity, hubFacts } = NEIGHBORHOOD_EXPANSION;

const person = (name: string): EntityWrite => ({
  id: `${PREFIX}${name}`,
  kind: 'PERSON',
  name: `Bound ${name}`,
  aliases: [],
  description: null,
  evidence,
  attributes: [],
});

const knows = (id: string, source: string, target: string, overrides: Partial<RelationWrite> = {}): RelationWrite => ({
  id: `${PREFIX}${id}`,
  type: 'RELATIVE_OF',
  sourceId: `${PREFIX}${source}`,
  targetId: `${PREFIX}${target}`,
  role: null,
  share: null,
  approximate: false,
  pointInTime: null,
  validFrom: null,
  validTo: null,
  rank: 'NORMAL',
  modality: 'ASSERTED',
  claimedById: null,
  evidence,
  ...overrides,
});

/**
 * `star`: a centre with 3 PREFERRED undated facts and 30 NORMAL dated ones (years 2000 to 2029), so the
 * rule keeps the PREFERRED three and then the 22 latest. `hub`: more than `hubFacts` facts, one of them to
 * `spoke`, which also knows `friend`.
 */
const spokesOfHub = hubFacts + 1;
const entities: EntityWrite[] = [
  person('star'),
  ...Array.from({ length: 33 }, (_, i) => person(`star-${String(i).padStart(2, '0')}`)),
  person('hub'),
  person('friend'),
  ...Array.from({ length: spokesOfHub }, (_, i) => person(`spoke-${String(i).padStart(4, '0')}`)),
];
const relations: RelationWrite[] = [
  ...Array.from({ length: 3 }, (_, i) => knows(`preferred-${i}`, 'star', `star-${String(i).padStart(2, '0')}`, { rank: 'PREFERRED' })),
  ...Array.from({ length: 30 }, (_, i) =>
    knows(`dated-${i}`, 'star', `star-${String(i + 3).padStart(2, '0')}`, { pointInTime: `${2000 + i}` }),
  ),
  ...Array.from({ length: spokesOfHub }, (_, i) => knows(`spoke-${i}`, 'hub', `spoke-${String(i).padStart(4, '0')}`)),
  knows('friend', 'spoke-0000', 'friend'),
];

let api: TestApi;

async function removeTestRecords(): Promise<void> {
  await api.client.write('MATCH (n) WHERE n.id STARTS WITH $prefix DETACH DELETE n', { prefix: PREFIX });
}

beforeAll(async () => {
  api = await TestApi.start({ seed: false });
  await removeTestRecords();
  await api.client.writeTransaction(async (tx) => {
    await writeDocuments(tx, [
      {
        ...documentRow({
          id: DOC,
          title: 'Bound test',
          titleIsEditorial: false,
          publisher: null,
          url: null,
          publishedAt: null,
          language: 'en',
          attribution: null,
          text: QUOTE,
        }),
      },
    ]);
    await writeEntities(tx, entities.map(entityRow));
    await writeRelations(tx, relations.map(relationRow));
  });
});

afterAll(async () => {
  await removeTestRecords();
  await api.stop();
});

const NEIGHBORHOOD = `query ($id: ID!, $depth: Int, $limit: Int) {
  neighborhood(id: $id, depth: $depth, limit: $limit) { truncated nodes { id } relations { id source { id } target { id } } }
}`;

interface Subgraph {
  truncated: boolean;
  nodes: { id: string }[];
  relations: { id: string; source: { id: string }; target: { id: string } }[];
}

async function neighborhood(id: string, depth: number, limit = 500): Promise<Subgraph> {
  return (await api.data<{ neighborhood: Subgraph }>(NEIGHBORHOOD, { id: `${PREFIX}${id}`, depth, limit })).neighborhood;
}

test(`an entity adds at most ${perEntity} neighbours: PREFERRED facts first, then the most recent`, async () => {
  const star = await neighborhood('star', 1);
  const kept = star.nodes.slice(1).map((n) => n.id);
  const expected = [
    ...[0, 1, 2].map((i) => `${PREFIX}star-${String(i).padStart(2, '0')}`),
    // NORMAL facts dated 2029 down to 2008: the 22 latest, most recent first.
    ...Array.from({ length: perEntity - 3 }, (_, i) => `${PREFIX}star-${String(32 - i).padStart(2, '0')}`),
  ];
  expect(star.nodes[0]!.id).toBe(`${PREFIX}star`);
  expect(kept).toEqual(expected);
  expect(star.truncated).toBe(true);
  expect(star.relations).toHaveLength(perEntity);
});

test('a hub reached on the way is drawn but not expanded, and the answer says something was left out', async () => {
  const fromSpoke = await neighborhood('spoke-0000', 2);
  expect(fromSpoke.nodes.map((n) => n.id).sort()).toEqual([`${PREFIX}friend`, `${PREFIX}hub`, `${PREFIX}spoke-0000`]);
  expect(fromSpoke.truncated).toBe(true);
  expect(fromSpoke.relations.map((r) => r.id).sort()).toEqual([`${PREFIX}friend`, `${PREFIX}spoke-0`]);
});

test('a hub at the centre is expanded, still at most the per-entity bound', async () => {
  const hub = await neighborhood('hub', 1);
  expect(hub.nodes).toHaveLength(1 + perEntity);
  expect(hub.truncated).toBe(true);
  // Equal rank and no dates: the neighbours' ids decide.
  expect(hub.nodes[1]!.id).toBe(`${PREFIX}spoke-0000`);
  expect(hub.relations).toHaveLength(perEntity);
});

test('an entity within every bound is not truncated', async () => {
  const friend = await neighborhood('friend', 1);
  expect(friend).toMatchObject({ truncated: false, nodes: [{ id: `${PREFIX}friend` }, { id: `${PREFIX}spoke-0000` }] });
});
