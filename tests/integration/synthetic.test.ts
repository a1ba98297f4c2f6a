/**
 * The synthetic load-test graph (src/seed/synthetic.ts) at a small scale, written into the shared test
 * database next to the seed graph and removed again in afterAll, so other test files see only the seed.
 */
import { createHash } from 'node:crypto';
import type { Neo4jClient } from '../../src/db/neo4jClient';
import { RELATION_TYPES } from '../../src/data/graph';
import { TYPE_NAME_BY_KIND } from '../../src/models/kinds';
import { entityStatement, relationStatements } from '../../src/data/writer';
import {
  clearSyntheticGraph,
  planSynthetic,
  storedDegreeStats,
  SyntheticConflictError,
  SyntheticGenerator,
  writeSyntheticGraph,
  type SyntheticSummary,
} from '../../src/seed/synthetic';
import { TestApi } from '../helpers/graphql';

const OPTIONS = { entities: 3_000, relations: 20_000, seed: 7, batchSize: 4_000 };
const plan = planSynthetic(OPTIONS);
const SLOW = 120_000;

interface Counts {
  nodes: number;
  relationships: number;
  syntheticEntities: number;
  syntheticRelations: number;
  syntheticDocuments: number;
}

async function counts(client: Neo4jClient): Promise<Counts> {
  const [row] = await client.read<Counts>(
    `RETURN COUNT { MATCH (n) } AS nodes,
            COUNT { MATCH ()-[r]->() } AS relationships,
            COUNT { MATCH (e:Entity) WHERE e.synthetic = true } AS syntheticEntities,
            COUNT { MATCH ()-[r]->() WHERE r.synthetic = true } AS syntheticRelations,
            COUNT { MATCH (d:Document) WHERE d.synthetic = true } AS syntheticDocuments`,
  );
  return row!;
}

/** Nodes and relationships that are not synthetic: the seed graph and whatever other tests left. */
async function realGraph(client: Neo4jClient): Promise<{ nodes: number; relationships: number; ids: string[] }> {
  const [row] = await client.read<{ nodes: number; relationships: number; ids: string[] }>(
    `RETURN COUNT { MATCH (n) WHERE n.synthetic IS NULL } AS nodes,
            COUNT { MATCH ()-[r]->() WHERE r.synthetic IS NULL } AS relationships,
            COLLECT { MATCH (e:Entity) WHERE e.synthetic IS NULL RETURN e.id ORDER BY e.id } AS ids`,
  );
  return row!;
}

async function syntheticDocuments(): Promise<Map<string, string>> {
  const rows = await client.read<{ id: string; text: string }>(
    'MATCH (d:Document) WHERE d.synthetic = true RETURN d.id AS id, d.text AS text',
  );
  return new Map(rows.map((d) => [d.id, d.text]));
}

/** The value with the keys of every object in it sorted, so its JSON does not depend on insertion order. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(object)
      .sort()
      .map((key) => [key, sortedKeys(object[key])]),
  );
}

let api: TestApi;
let client: Neo4jClient;
let realBefore: Awaited<ReturnType<typeof realGraph>>;
let summary: SyntheticSummary;
let afterFirstRun: Counts;

beforeAll(async () => {
  api = await TestApi.start();
  client = api.client;
  await clearSyntheticGraph(client);
  realBefore = await realGraph(client);
  summary = await writeSyntheticGraph(client, OPTIONS);
  afterFirstRun = await counts(client);
}, SLOW);

afterAll(async () => {
  try {
    await clearSyntheticGraph(client);
    const left = await counts(client);
    expect(left).toMatchObject({ syntheticEntities: 0, syntheticRelations: 0, syntheticDocuments: 0 });
    expect(await realGraph(client)).toEqual(realBefore);
  } finally {
    await api.stop();
  }
}, SLOW);

describe('what is written', () => {
  test('as many entities, relations and documents as asked for, and the real graph is untouched', async () => {
    expect(afterFirstRun).toMatchObject({
      syntheticEntities: OPTIONS.entities,
      syntheticRelations: OPTIONS.relations,
      syntheticDocuments: plan.documents,
    });
    expect(summary).toMatchObject({ entities: OPTIONS.entities, relations: OPTIONS.relations, documents: plan.documents });
    expect(await realGraph(client)).toEqual(realBefore);
  });

  test('entities of every kind, each with the Entity label and its kind label, ids prefixed syn-', async () => {
    const rows = await client.read<{ kind: string; labels: string[]; n: number; badIds: number }>(
      `MATCH (e:Entity) WHERE e.synthetic = true
       RETURN e.kind AS kind, labels(e) AS labels, count(*) AS n, sum(CASE WHEN e.id STARTS WITH 'syn-' THEN 0 ELSE 1 END) AS badIds`,
    );
    const byKind = Object.fromEntries(rows.map((r) => [r.kind, r]));
    for (const k of plan.kinds) {
      expect(byKind[k.kind]).toMatchObject({ n: k.count, badIds: 0 });
      expect([...byKind[k.kind]!.labels].sort()).toEqual(['Entity', TYPE_NAME_BY_KIND[k.kind]].sort());
    }
    expect(rows).toHaveLength(plan.kinds.length);
    expect(plan.kinds.every((k) => k.count > 0)).toBe(true);
  });

  test('facts use vocabulary types only, link synthetic entities only, and carry the qualifiers', async () => {
    const rows = await client.read<{ type: string; n: number; foreign: number; dated: number; shared: number }>(
      `MATCH (a)-[r]->(b) WHERE r.synthetic = true
       RETURN type(r) AS type, count(*) AS n,
              sum(CASE WHEN a.synthetic = true AND b.synthetic = true AND r.id STARTS WITH 'syn-rel-' THEN 0 ELSE 1 END) AS foreign,
              sum(CASE WHEN r.validFrom IS NOT NULL OR r.pointInTime IS NOT NULL THEN 1 ELSE 0 END) AS dated,
              sum(CASE WHEN r.share IS NOT NULL THEN 1 ELSE 0 END) AS shared`,
    );
    expect(rows.every((r) => RELATION_TYPES.includes(r.type as never) && r.foreign === 0)).toBe(true);
    expect(rows.length).toBeGreaterThan(25);
    const byType = Object.fromEntries(rows.map((r) => [r.type, r]));
    expect(byType.CONTROLS!.shared).toBe(byType.CONTROLS!.n);
    expect(byType.HOLDS_OFFICE!.dated).toBeGreaterThan(0);
    // Plausible pairings: people hold offices in countries and organisations; events happen in places.
    const pairs = await client.read<{ type: string; from: string; to: string }>(
      `MATCH (a)-[r:HOLDS_OFFICE|CONTROLS|PARTICIPATES_IN]->(b) WHERE r.synthetic = true
       RETURN DISTINCT type(r) AS type, a.kind AS from, b.kind AS to`,
    );
    const allowed: Record<string, [string[], string[]]> = {
      HOLDS_OFFICE: [['PERSON'], ['COUNTRY', 'ORGANIZATION']],
      CONTROLS: [['COUNTRY', 'GROUP'], ['REGION']],
      PARTICIPATES_IN: [['PERSON', 'COUNTRY', 'ORGANIZATION', 'GROUP'], ['EVENT']],
    };
    for (const p of pairs) {
      expect(allowed[p.type]![0]).toContain(p.from);
      expect(allowed[p.type]![1]).toContain(p.to);
    }
  });

  test('events have start dates at year, month and day precision', async () => {
    const [row] = await client.read<{ precisions: number[] }>(
      `MATCH (e:Event) WHERE e.synthetic = true AND e.startDate IS NOT NULL
       RETURN collect(DISTINCT size(e.startDate)) AS precisions`,
    );
    expect([...row!.precisions].sort((a, b) => a - b)).toEqual([4, 7, 10]);
  });

  test('the degree distribution is skewed: a few hubs, a long tail with 1–3 facts, nobody without a fact', async () => {
    const stats = await storedDegreeStats(client);
    expect(stats.entities).toBe(OPTIONS.entities);
    expect(stats.isolated).toBe(0);
    expect(stats.median).toBeLessThanOrEqual(10);
    expect(stats.max).toBeGreaterThanOrEqual(50 * stats.median);
    expect(stats.p99).toBeGreaterThan(5 * stats.median);
    expect(stats.lowDegree).toBeGreaterThan(OPTIONS.entities * 0.2);
    // What the generator counted is what the database holds.
    expect(stats).toMatchObject({ max: summary.degrees.max, median: summary.degrees.median, p99: summary.degrees.p99 });
  });
});

describe('evidence', () => {
  test('every relation quote is an exact substring of its synthetic document', async () => {
    const documents = await syntheticDocuments();
    const evidence = await client.read<{ id: string; docs: string[]; quotes: string[] }>(
      `MATCH ()-[r]->() WHERE r.synthetic = true
       RETURN r.id AS id, r.evidenceDocuments AS docs, r.evidenceQuotes AS quotes ORDER BY r.id`,
    );
    expect(evidence).toHaveLength(OPTIONS.relations);
    // A document is its relations' sentences in id order, so each quote is searched after the previous one.
    const position = new Map<string, number>();
    const bad: string[] = [];
    for (const r of evidence) {
      expect(r.docs).toHaveLength(1);
      const doc = r.docs[0]!;
      const at = documents.get(doc)?.indexOf(r.quotes[0]!, position.get(doc) ?? 0) ?? -1;
      if (at < 0) bad.push(`${r.id} in ${doc}: ${r.quotes[0]}`);
      else position.set(doc, at + r.quotes[0]!.length);
    }
    expect(bad).toEqual([]);
  });

  test('every entity and attribute quote is an exact substring of its synthetic document', async () => {
    const documents = await syntheticDocuments();
    const entities = await client.read<{ id: string; docs: string[]; quotes: string[]; attributesJson: string }>(
      `MATCH (e:Entity) WHERE e.synthetic = true
       RETURN e.id AS id, e.evidenceDocuments AS docs, e.evidenceQuotes AS quotes, e.attributesJson AS attributesJson`,
    );
    expect(entities).toHaveLength(OPTIONS.entities);
    const bad: string[] = [];
    let checked = 0;
    for (const e of entities) {
      const evidence = e.docs.map((doc, i) => ({ documentId: doc, quote: e.quotes[i]! }));
      const attributes = JSON.parse(e.attributesJson) as { evidence: { documentId: string; quote: string }[] }[];
      for (const item of [...evidence, ...attributes.flatMap((a) => a.evidence)]) {
        checked += 1;
        if (!documents.get(item.documentId)?.includes(item.quote)) bad.push(`${e.id}: ${item.quote}`);
      }
    }
    expect(bad).toEqual([]);
    expect(checked).toBeGreaterThan(OPTIONS.entities);
  });
});

describe('reruns', () => {
  test('the same arguments generate the same graph, whatever the batch size', () => {
    // Every node and relationship with all its properties (keys sorted), in id order, hashed.
    const graph = (batchSize: number) => {
      const generator = new SyntheticGenerator({ ...OPTIONS, batchSize });
      const entities = [...generator.entityBatches(batchSize)].flatMap((b) => b.rows.map((row) => ({ label: b.label, ...row })));
      const relations = [...generator.relationBatches(batchSize)].flatMap((b) => b.rows);
      const documents = generator.documents.take();
      const rows = [...entities, ...relations, ...documents].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const hash = createHash('sha256');
      for (const row of rows) hash.update(JSON.stringify(sortedKeys(row)) + '\n');
      return {
        rows: { entities: entities.length, relations: relations.length, documents: documents.length },
        sha256: hash.digest('hex'),
        degrees: generator.degreeStats(),
      };
    };
    const small = graph(1_000);
    expect(small.rows).toEqual({ entities: OPTIONS.entities, relations: OPTIONS.relations, documents: plan.documents });
    expect(graph(7_777)).toEqual(small);
  });

  test('the write statements set every property the generator makes', () => {
    const generator = new SyntheticGenerator(OPTIONS);
    for (const batch of generator.entityBatches(500)) {
      const statement = entityStatement(batch.kind);
      for (const key of new Set(batch.rows.flatMap((r) => Object.keys(r.props))))
        if (key !== 'id') expect(statement).toContain(`e.${key} = row.props.${key}`);
    }
    for (const batch of generator.relationBatches(5_000)) {
      const { create, update } = relationStatements(batch.type);
      for (const key of new Set(batch.rows.flatMap((r) => Object.keys(r.props)))) {
        if (key === 'id') continue;
        expect(create).toContain(`r.${key} = row.props.${key}`);
        expect(update).toContain(`r.${key} = row.props.${key}`);
      }
    }
  });

  test(
    'a second run with the same arguments changes no counts',
    async () => {
      await writeSyntheticGraph(client, OPTIONS);
      expect(await counts(client)).toEqual(afterFirstRun);
    },
    SLOW,
  );

  test('a run with other arguments is refused instead of mixing two graphs', async () => {
    await expect(writeSyntheticGraph(client, { ...OPTIONS, seed: OPTIONS.seed + 1 })).rejects.toThrow(SyntheticConflictError);
    expect(await counts(client)).toEqual(afterFirstRun);
  });
});

describe('the API on the synthetic graph', () => {
  let hub: { id: string; name: string; degree: number };
  beforeAll(async () => {
    hub = (await storedDegreeStats(client)).topHubs[0]!;
  });

  test('a hub returns bounded pages of its facts, with the full count', async () => {
    const [{ visible } = { visible: -1 }] = await client.read<{ visible: number }>(
      `MATCH (e:Entity {id: $id}) RETURN COUNT { (e)-[r]-() WHERE r.rank <> 'DEPRECATED' } AS visible`,
      { id: hub.id },
    );
    const query = `query ($id: ID!, $after: String, $all: Boolean) {
      entity(id: $id) {
        relations(first: 50, after: $after, includeDeprecated: $all) {
          totalCount
          edges { node { id evidence { quote document { id } } } }
          pageInfo { hasNextPage endCursor }
        }
      }
    }`;
    type Edge = { node: { id: string; evidence: { quote: string; document: { id: string } }[] } };
    type Page = { entity: { relations: { totalCount: number; edges: Edge[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } };
    const first = (await api.data<Page>(query, { id: hub.id })).entity.relations;
    expect(first.edges).toHaveLength(50);
    expect(first.totalCount).toBe(visible);
    expect(first.pageInfo.hasNextPage).toBe(true);
    for (const { node } of first.edges) expect(node.evidence[0]!.document.id).toMatch(/^syn-doc-\d{5}$/);

    const second = (await api.data<Page>(query, { id: hub.id, after: first.pageInfo.endCursor })).entity.relations;
    expect(second.edges).toHaveLength(50);
    const ids = [...first.edges, ...second.edges].map((e) => e.node.id);
    expect(new Set(ids).size).toBe(100);
    expect([...ids].sort()).toEqual(ids);

    const all = (await api.data<Page>(query, { id: hub.id, all: true })).entity.relations;
    expect(all.totalCount).toBe(hub.degree);
  });

  test('search finds a hub by its name, and by a prefix of it', async () => {
    const query = `query ($text: String!) { search(text: $text, first: 10) { entity { id name } } }`;
    const exact = await api.data<{ search: { entity: { id: string } }[] }>(query, { text: hub.name });
    expect(exact.search.map((h) => h.entity.id)).toContain(hub.id);
    const prefix = await api.data<{ search: { entity: { id: string; name: string } }[] }>(query, { text: hub.name.slice(0, 5) });
    expect(prefix.search.map((h) => h.entity.id)).toContain(hub.id);
  });

  test('a depth-2 neighbourhood of a hub stops at the node limit and says so', async () => {
    const data = await api.data<{ neighborhood: { nodes: { id: string }[]; relations: { id: string }[]; truncated: boolean } }>(
      `query ($id: ID!) { neighborhood(id: $id, depth: 2, limit: 200) { nodes { id } relations { id } truncated } }`,
      { id: hub.id },
    );
    expect(data.neighborhood.truncated).toBe(true);
    expect(data.neighborhood.nodes.length).toBeLessThanOrEqual(200);
    expect(data.neighborhood.nodes[0]!.id).toBe(hub.id);
  });
});
