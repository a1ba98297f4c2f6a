/**
 * The graph writer (src/data/writer.ts) against the real test database: what it stores, that writing again
 * changes nothing, that a row replaces the stored state, and that it refuses what would corrupt the graph.
 * Its records have ids starting with `writer-test-` and are removed before and after.
 */
import type { Neo4jClient } from '../../src/db/neo4jClient';
import { ensureSchema } from '../../src/db/schema';
import {
  documentRow,
  entityRow,
  GraphWriteError,
  relationRow,
  writeDocuments,
  writeEntities,
  writeRelations,
  type RelationWriteOptions,
} from '../../src/data/writer';
import type { DocumentWrite, EntityWrite, RelationWrite } from '../../src/models/write';
import { openTestClient } from '../helpers/graphql';

const PREFIX = 'writer-test-';
const DOC = `${PREFIX}doc`;
const evidence = (quote: string, confidence = 0.9) => [{ documentId: DOC, quote, confidence }];

const document: DocumentWrite = {
  id: DOC,
  title: 'A test dispatch',
  titleIsEditorial: false,
  publisher: null,
  url: 'https://example.invalid/dispatch',
  publishedAt: '2024-05',
  language: 'en',
  attribution: null,
  text: 'Ana Tester chairs the Test Council. Ana Tester puts forward the Test Plan for five years.',
};

const person: EntityWrite = {
  id: `${PREFIX}ana`,
  kind: 'PERSON',
  name: 'Ana Tester',
  aliases: [],
  description: null,
  evidence: evidence('Ana Tester chairs the Test Council.'),
  attributes: [],
};
const council: EntityWrite = {
  id: `${PREFIX}council`,
  kind: 'ORGANIZATION',
  name: 'Test Council',
  aliases: ['TC'],
  description: 'A council made up for tests.',
  evidence: evidence('the Test Council'),
  attributes: [
    { name: 'reportedSize', value: 'more than 11', modality: 'ASSERTED', claimedById: null, evidence: evidence('the Test Council') },
    { name: 'minimumMemberCount', value: 12, modality: 'ASSERTED', claimedById: null, evidence: evidence('the Test Council') },
  ],
};
const plan: EntityWrite = {
  id: `${PREFIX}plan`,
  kind: 'PROPOSAL',
  name: 'Test Plan',
  aliases: [],
  description: 'A plan made up for tests.',
  evidence: evidence('the Test Plan for five years'),
  attributes: [
    { name: 'termYears', value: 5, modality: 'ASSERTED', claimedById: null, evidence: evidence('for five years') },
    { name: 'agreedShare', value: 0.5, modality: 'CLAIMED', claimedById: `${PREFIX}ana`, evidence: evidence('the Test Plan') },
    { name: 'status', value: 'PROPOSED', modality: 'ASSERTED', claimedById: null, evidence: evidence('puts forward the Test Plan') },
  ],
};

/** The plan's stored properties that do not depend on its attributes or description. */
const storedPlanCore = {
  id: plan.id,
  kind: 'PROPOSAL',
  name: 'Test Plan',
  aliases: [],
  evidenceDocuments: [DOC],
  evidenceQuotes: ['the Test Plan for five years'],
  evidenceConfidences: [0.9],
};

const fact = (id: string, overrides: Partial<RelationWrite> = {}): RelationWrite => ({
  id: `${PREFIX}${id}`,
  type: 'HOLDS_OFFICE',
  sourceId: person.id,
  targetId: council.id,
  role: 'Chair',
  share: null,
  approximate: false,
  pointInTime: null,
  validFrom: '2024',
  validTo: null,
  rank: 'NORMAL',
  modality: 'ASSERTED',
  claimedById: null,
  evidence: evidence('Ana Tester chairs the Test Council.'),
  ...overrides,
});
const chairs = fact('chairs');
const proposes = fact('proposes', {
  type: 'PROPOSES',
  targetId: plan.id,
  role: null,
  validFrom: null,
  pointInTime: '2024-05',
  modality: 'REPORTED',
  evidence: evidence('Ana Tester puts forward the Test Plan', 0.7),
});

let client: Neo4jClient;

async function removeTestRecords(): Promise<void> {
  await client.write('MATCH (n) WHERE n.id STARTS WITH $prefix DETACH DELETE n', { prefix: PREFIX });
}

async function writeAll(
  entities: EntityWrite[] = [person, council, plan],
  relations: RelationWrite[] = [chairs, proposes],
  options?: RelationWriteOptions,
): Promise<[number, number, number]> {
  return client.writeTransaction(async (tx) => [
    await writeDocuments(tx, [documentRow(document)]),
    await writeEntities(tx, entities.map(entityRow)),
    await writeRelations(tx, relations.map(relationRow), options),
  ]);
}

interface Stored {
  key: string;
  labels: string[];
  /** Each property with its Cypher type, e.g. ['termYears', 'INTEGER NOT NULL', 5]. */
  properties: [string, string, unknown][];
}

/** Every test node and relationship, with element ids, labels or type and endpoints, and typed properties. */
async function snapshot(): Promise<Stored[]> {
  return client
    .read<Stored>(
      `CALL () {
       MATCH (n) WHERE n.id STARTS WITH $prefix
       RETURN elementId(n) + ' ' + n.id AS key, labels(n) AS labels, n AS item
       UNION ALL
       MATCH (a)-[r]->(b) WHERE r.id STARTS WITH $prefix
       RETURN elementId(r) + ' ' + a.id + ' -' + type(r) + '-> ' + b.id AS key, [] AS labels, r AS item
     }
     RETURN key, labels, [k IN keys(item) | [k, valueType(item[k]), item[k]]] AS properties
     ORDER BY key`,
      { prefix: PREFIX },
    )
    .then((rows) =>
      rows.map((row) => ({
        ...row,
        labels: [...row.labels].sort(),
        properties: [...row.properties].sort((a, b) => a[0].localeCompare(b[0])),
      })),
    );
}

async function entityProperties(id: string): Promise<{ labels: string[]; types: Record<string, string>; props: Record<string, unknown> }> {
  const [row] = await client.read<{ labels: string[]; types: [string, string][]; props: Record<string, unknown> }>(
    `MATCH (e:Entity {id: $id}) RETURN labels(e) AS labels, [k IN keys(e) | [k, valueType(e[k])]] AS types, properties(e) AS props`,
    { id },
  );
  if (!row) throw new Error(`no entity ${id}`);
  return { labels: [...row.labels].sort(), types: Object.fromEntries(row.types), props: row.props };
}

beforeAll(async () => {
  client = openTestClient();
  await ensureSchema(client);
  await removeTestRecords();
});

afterAll(async () => {
  try {
    await removeTestRecords();
  } finally {
    await client.close();
  }
});

describe('the graph writer', () => {
  test('writes every row, and says how many', async () => {
    expect(await writeAll()).toEqual([1, 3, 2]);
  });

  test('stores entities with their kind label, evidence as parallel lists, and integers as integers', async () => {
    const stored = await entityProperties(plan.id);
    expect(stored.labels).toEqual(['Entity', 'Proposal']);
    expect(stored.props).toEqual({
      ...storedPlanCore,
      description: 'A plan made up for tests.',
      attributesJson: JSON.stringify(plan.attributes),
      termYears: 5,
      agreedShare: 0.5,
      status: 'PROPOSED',
    });
    expect(stored.types).toMatchObject({
      termYears: 'INTEGER NOT NULL',
      agreedShare: 'FLOAT NOT NULL',
      evidenceConfidences: 'LIST<FLOAT NOT NULL> NOT NULL',
    });
    expect((await entityProperties(council.id)).types.minimumMemberCount).toBe('INTEGER NOT NULL');
    // A null is not stored: the person has no description.
    expect(Object.keys((await entityProperties(person.id)).props)).not.toContain('description');
  });

  test('stores facts as typed relationships between their endpoints, with their qualifiers and evidence', async () => {
    const rows = await client.read<{ type: string; source: string; target: string; props: Record<string, unknown> }>(
      `MATCH (a:Entity)-[r]->(b:Entity) WHERE r.id = $id RETURN type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props`,
      { id: proposes.id },
    );
    expect(rows).toEqual([
      {
        type: 'PROPOSES',
        source: person.id,
        target: plan.id,
        props: {
          id: proposes.id,
          approximate: false,
          pointInTime: '2024-05',
          rank: 'NORMAL',
          modality: 'REPORTED',
          evidenceDocuments: [DOC],
          evidenceQuotes: ['Ana Tester puts forward the Test Plan'],
          evidenceConfidences: [0.7],
        },
      },
    ]);
  });

  test('writing the same rows again changes nothing, whichever way existing facts are looked up', async () => {
    const before = await snapshot();
    expect(before).toHaveLength(6);
    expect(await writeAll()).toEqual([1, 3, 2]);
    expect(await snapshot()).toEqual(before);
    expect(await writeAll(undefined, undefined, { consecutiveIds: true })).toEqual([1, 3, 2]);
    expect(await snapshot()).toEqual(before);
  });

  test('a row replaces the stored state: aliases and evidence appended, a kind changed, a value removed', async () => {
    const before = await snapshot();
    const asPolicy: EntityWrite = { ...plan, kind: 'POLICY', aliases: ['The Plan'], description: null, attributes: [] };
    const corroborated = fact('chairs', { evidence: [...chairs.evidence, ...evidence('the Test Council', 0.6)] });
    await writeAll([person, council, asPolicy], [corroborated, proposes]);

    const stored = await entityProperties(plan.id);
    expect(stored.labels).toEqual(['Entity', 'Policy']);
    expect(stored.props).toEqual({ ...storedPlanCore, kind: 'POLICY', aliases: ['The Plan'], attributesJson: '[]' });
    const [chairsNow] = await client.read<{ elementId: string; confidences: number[] }>(
      `MATCH ()-[r:HOLDS_OFFICE {id: $id}]->() RETURN elementId(r) AS elementId, r.evidenceConfidences AS confidences`,
      { id: chairs.id },
    );
    // The same relationship, updated in place.
    expect(chairsNow).toEqual({
      elementId: before.find((s) => s.key.includes('-HOLDS_OFFICE->'))!.key.split(' ')[0],
      confidences: [0.9, 0.6],
    });

    await writeAll();
    expect(await snapshot()).toEqual(before);
  });

  test('a fact whose endpoint is missing is an error, and nothing of its transaction lands', async () => {
    const newcomer: EntityWrite = { ...person, id: `${PREFIX}newcomer`, name: 'New Comer' };
    const dangling = fact('dangling', { sourceId: newcomer.id, targetId: `${PREFIX}nobody` });
    const before = await snapshot();
    await expect(writeAll([newcomer], [dangling])).rejects.toThrow(
      new GraphWriteError(`HOLDS_OFFICE facts name entities that do not exist: ${PREFIX}nobody`),
    );
    expect(await snapshot()).toEqual(before);
  });

  test('an existing fact id between other entities is an error, not a second fact', async () => {
    const before = await snapshot();
    const moved = fact('chairs', { targetId: plan.id });
    for (const options of [{}, { consecutiveIds: true }]) {
      await expect(writeAll([person, council, plan], [moved], options)).rejects.toThrow(
        new GraphWriteError(`HOLDS_OFFICE ${chairs.id} exists between ${person.id} and ${council.id}, not ${person.id} and ${plan.id}`),
      );
    }
    expect(await snapshot()).toEqual(before);
  });

  test('an id given twice in one write is an error', async () => {
    await expect(writeAll([person, person])).rejects.toThrow(new GraphWriteError(`entity ${person.id} is given twice`));
    await expect(writeAll(undefined, [chairs, proposes, chairs])).rejects.toThrow(new GraphWriteError(`fact ${chairs.id} is given twice`));
  });

  test('an attribute the kind does not have, or a fractional integer, is refused before anything is sent', () => {
    const attribute = plan.attributes[0]!;
    expect(() => entityRow({ ...person, attributes: [attribute] })).toThrow(
      new GraphWriteError(`entity ${person.id}: PERSON has no attribute "termYears"`),
    );
    expect(() => entityRow({ ...plan, attributes: [{ ...attribute, value: 2.5 }] })).toThrow(
      new GraphWriteError(`entity ${plan.id}: attribute termYears must be an integer, not 2.5`),
    );
  });
});
