/**
 * Ingestion through the API against the real database: a follow-up article of our own (in
 * tests/fixtures/ingest/) end to end, idempotence, corroboration, entity resolution, corrections, the
 * change log, suggestions, validation and atomicity. Every refused write must leave the node and
 * relationship counts exactly as they were.
 */
import { createServices } from '../../src/context';
import { DEFAULT_INGEST_LIMITS } from '../../src/server';
import type { IngestDocumentInput } from '../../src/generated/graphql';
import { EDITOR, TestApi } from '../helpers/graphql';
import { fixtureInput, graphCounts, INGEST, resetToSeed, smallDocument } from '../helpers/ingest';

let api: TestApi;

beforeAll(async () => {
  api = await TestApi.start();
  await resetToSeed(api.client);
});

afterAll(async () => {
  await resetToSeed(api.client);
  await api.stop();
});

const ingest = (input: IngestDocumentInput, dryRun = false) => api.query(INGEST, { input, dryRun }, { principal: EDITOR });
const write = (mutation: string, variables: Record<string, unknown>) => api.query(mutation, variables, { principal: EDITOR });

const LONDON = fixtureInput('london-defence-ministers');
const MEETING = 'london-meeting-of-coalition-defence-ministers';

/** Runs a write that must be refused: the error's code and problem paths, and proof that nothing changed. */
async function refused(input: IngestDocumentInput, variables: Record<string, unknown> = {}) {
  const before = await graphCounts(api.client);
  const result = await api.query(INGEST, { input, ...variables }, { principal: EDITOR });
  expect(await graphCounts(api.client)).toEqual(before);
  expect(result.data).toBeNull();
  expect(result.errors).toHaveLength(1);
  const error = result.errors![0]!;
  return {
    code: error.extensions?.code,
    message: error.message,
    paths: ((error.extensions?.problems as { path: string }[] | undefined) ?? []).map((p) => p.path),
    problems: (error.extensions?.problems as { path: string; message: string; candidates?: string[] }[] | undefined) ?? [],
  };
}

describe('a follow-up article, end to end', () => {
  test('a dry run resolves everything and answers as the real run will, writing nothing', async () => {
    const before = await graphCounts(api.client);
    const { data, errors } = await ingest(LONDON, true);
    expect(errors).toBeUndefined();
    expect(await graphCounts(api.client)).toEqual(before);
    const result = data!.ingestDocument;
    expect(result.created).toBe(true);
    expect(result.change).toBeNull();
    expect(result.entities.map((e: any) => [e.ref, e.outcome, e.matchedBy, e.entity.id])).toEqual([
      ['london-meeting', 'CREATED', null, MEETING],
      ['london', 'CREATED', null, 'london'],
      ['zelenskyy', 'MATCHED', 'SPELLING', 'volodymyr-zelensky'],
      ['kremlin', 'MATCHED', 'ALIAS', 'russia'],
    ]);
    // Nested fields of what a dry run would create resolve from the result itself.
    expect(result.relations[1].relation.source.id).toBe(MEETING);
    expect(result.relations[0].relation.evidence[0].document.id).toBe(LONDON.document.id);
  });

  test('the real run creates the new entities and facts, matches the known ones and corroborates one', async () => {
    const before = await graphCounts(api.client);
    const { data, errors } = await ingest(LONDON);
    expect(errors).toBeUndefined();
    const result = data!.ingestDocument;
    expect(result.created).toBe(true);
    expect(result.document.attribution).toMatch(/by newsroom/);
    expect(result.relations.map((r: any) => [r.relation.type, r.relation.source.id, r.relation.target.id, r.outcome])).toEqual([
      ['PARTICIPATES_IN', 'coalition-of-the-willing', MEETING, 'CREATED'],
      ['LOCATED_IN', MEETING, 'london', 'CREATED'],
      ['DISCUSSES', MEETING, 'multinational-force', 'CREATED'],
      ['PARTICIPATES_IN', 'mark-rutte', MEETING, 'CREATED'],
      ['HOLDS_OFFICE', 'mark-rutte', 'nato', 'CORROBORATED'],
      ['PARTICIPATES_IN', 'volodymyr-zelensky', MEETING, 'CREATED'],
      ['REJECTS', 'russia', 'multinational-force', 'CREATED'],
    ]);
    // Two new entities, one new document, one change; six new facts.
    expect(await graphCounts(api.client)).toEqual({ nodes: before.nodes + 4, relationships: before.relationships + 6 });
    expect(result.change).toMatchObject({ operation: 'INGEST_DOCUMENT', actor: 'newsroom', document: { id: LONDON.document.id } });
  });

  test('the spelling is kept as an alias, with the evidence, and stored aliases are kept as they were', async () => {
    const { entity } = await api.data(`{ entity(id: "volodymyr-zelensky") { aliases evidence { quote document { id } } } }`);
    expect(entity.aliases).toEqual(['Zelensky', 'Volodymyr Zelenskyy']);
    expect(entity.evidence).toContainEqual({ quote: "Ukraine's President Volodymyr Zelenskyy", document: { id: LONDON.document.id } });
    const { entity: russia } = await api.data(`{ entity(id: "russia") { aliases } }`);
    expect(russia.aliases).toEqual(['Moscow', 'the Kremlin', 'Kremlin']);
  });

  test('corroboration: the office fact now has evidence from two documents', async () => {
    const { relation } = await api.data(`{ relation(id: "rutte-holds-office-nato") { supportCount evidence { quote document { id } } } }`);
    expect(relation.supportCount).toBe(2);
    expect(relation.evidence.map((e: any) => e.document.id)).toEqual(['paris-coalition-summit', LONDON.document.id]);
  });

  test('what was ingested reads back through entity, search, timeline and neighborhood', async () => {
    const { entity } = await api.data(`{ entity(id: "${MEETING}") { name ... on Event {
      location { id } participants(first: 10) { edges { node { id } } } } } }`);
    expect(entity.location.id).toBe('london');
    expect(entity.participants.edges.map((e: any) => e.node.id).sort()).toEqual([
      'coalition-of-the-willing',
      'mark-rutte',
      'volodymyr-zelensky',
    ]);

    const { search } = await api.data(`{ search(text: "London meeting defence ministers", first: 3) { entity { id } } }`);
    expect(search[0].entity.id).toBe(MEETING);

    const { timeline } = await api.data(`{ timeline(entityId: "volodymyr-zelensky", first: 50) { edges { node { id } } } }`);
    expect(timeline.edges.map((e: any) => e.node.id)).toContain(MEETING);

    const { neighborhood } = await api.data(`{ neighborhood(id: "${MEETING}", depth: 1) { nodes { id } relations { type } } }`);
    expect(neighborhood.nodes.map((n: any) => n.id).sort()).toEqual(
      ['coalition-of-the-willing', 'london', MEETING, 'mark-rutte', 'multinational-force', 'volodymyr-zelensky'].sort(),
    );
  });

  test('ingesting the same document again writes nothing: created false, every fact UNCHANGED', async () => {
    const before = await graphCounts(api.client);
    const { data, errors } = await ingest(LONDON);
    expect(errors).toBeUndefined();
    expect(await graphCounts(api.client)).toEqual(before);
    expect(data!.ingestDocument.created).toBe(false);
    expect(data!.ingestDocument.change).toBeNull();
    expect(data!.ingestDocument.relations.map((r: any) => r.outcome)).toEqual(Array(7).fill('UNCHANGED'));
  });

  test('the same text without an id is the same document', async () => {
    const before = await graphCounts(api.client);
    const { data } = await ingest({ ...LONDON, document: { ...LONDON.document, id: null } });
    expect(data!.ingestDocument).toMatchObject({ created: false, document: { id: LONDON.document.id } });
    expect(await graphCounts(api.client)).toEqual(before);
  });
});

describe('entity resolution', () => {
  test('a new document without an id gets a slug of its title; new entities get unique slugs of their names', async () => {
    const text = 'London hosted a second meeting. London was busy.';
    const { data, errors } = await ingest({
      document: { title: 'A second London meeting', text },
      entities: [{ ref: 'city', kind: 'CITY', name: 'London', evidence: [{ quote: 'London hosted', confidence: 0.9 }] }],
      relations: [],
    });
    expect(errors).toBeUndefined();
    expect(data!.ingestDocument.document.id).toBe('a-second-london-meeting');
    // London exists already (a CITY): matched by name, not created again.
    expect(data!.ingestDocument.entities[0]).toMatchObject({ outcome: 'MATCHED', matchedBy: 'NAME', entity: { id: 'london' } });
    const other = await ingest({
      document: { title: 'London, Ontario', text: 'London, Ontario is a city in Canada.' },
      entities: [{ ref: 'ontario', id: null, kind: 'REGION', name: 'London', evidence: [{ quote: 'London, Ontario', confidence: 0.9 }] }],
      relations: [],
    });
    // Another kind: a new entity, whose slug "london" is taken, so it gets the next free one.
    expect(other.data!.ingestDocument.entities[0]).toMatchObject({ outcome: 'CREATED', entity: { id: 'london-2', kind: 'REGION' } });
  });

  test('a name that matches two entities refuses the document and lists both', async () => {
    const setup = await ingest({
      document: { id: 'two-georgias', title: 'Two Georgias', text: 'Georgia the country. Georgia the other country.' },
      entities: [
        { ref: 'a', id: 'georgia-a', kind: 'COUNTRY', name: 'Georgia', evidence: [{ quote: 'Georgia the country', confidence: 0.9 }] },
        {
          ref: 'b',
          id: 'georgia-b',
          kind: 'COUNTRY',
          name: 'Georgia',
          evidence: [{ quote: 'Georgia the other country', confidence: 0.9 }],
        },
      ],
      relations: [],
    });
    expect(setup.errors).toBeUndefined();
    const outcome = await refused(
      smallDocument('Georgia borders Russia.', {
        relations: [
          {
            type: 'BORDERS',
            source: { name: 'Georgia' },
            target: { id: 'russia' },
            evidence: [{ quote: 'Georgia borders Russia', confidence: 0.9 }],
          },
        ],
      }),
    );
    expect(outcome.code).toBe('BAD_USER_INPUT');
    expect(outcome.problems).toEqual([
      expect.objectContaining({ path: 'input.relations[0].source.name', candidates: ['georgia-a', 'georgia-b'] }),
    ]);
    expect(outcome.message).toMatch(/georgia-a, georgia-b/);
  });

  test('a name that matches nothing is refused unless the document declares it', async () => {
    const outcome = await refused(
      smallDocument('Atlantis rejects the plan.', {
        relations: [
          {
            type: 'REJECTS',
            source: { name: 'Atlantis' },
            target: { id: 'ukraine-peace-plan' },
            evidence: [{ quote: 'Atlantis rejects', confidence: 0.9 }],
          },
        ],
      }),
    );
    expect(outcome.paths).toEqual(['input.relations[0].source.name']);
  });

  test('eight concurrent ingestions that introduce the same entity create it once', async () => {
    const documents = Array.from({ length: 8 }, (_, i) =>
      smallDocument(`Report ${i}: the Acme Defence Consortium builds drones for Ukraine.`, {
        entities: [
          {
            ref: 'acme',
            kind: 'ORGANIZATION',
            name: 'Acme Defence Consortium',
            evidence: [{ quote: 'the Acme Defence Consortium', confidence: 0.9 }],
          },
        ],
        relations: [
          {
            type: 'SUPPORTS',
            source: { ref: 'acme' },
            target: { id: 'assistance-for-ukraine' },
            evidence: [{ quote: 'builds drones for Ukraine', confidence: 0.6 }],
          },
        ],
      }),
    );
    const results = await Promise.all(documents.map((input) => ingest(input)));
    expect(results.map((r) => r.errors)).toEqual(Array(8).fill(undefined));
    const ids = new Set(results.map((r) => r.data!.ingestDocument.entities[0].entity.id));
    expect([...ids]).toEqual(['acme-defence-consortium']);
    expect(results.filter((r) => r.data!.ingestDocument.entities[0].outcome === 'CREATED')).toHaveLength(1);
    const [row] = await api.client.read<{ n: number }>(`MATCH (e:Entity) WHERE e.name = 'Acme Defence Consortium' RETURN count(e) AS n`);
    expect(row!.n).toBe(1);
    // The same fact from eight documents: one fact, eight supporting documents.
    const { entity } = await api.data(
      `{ entity(id: "acme-defence-consortium") { relations(types: [SUPPORTS]) { edges { node { supportCount } } } } }`,
    );
    expect(entity.relations.edges.map((e: any) => e.node.supportCount)).toEqual([8]);
  });
});

describe('corrections', () => {
  const DEPRECATE = `mutation ($id: ID!, $reason: String!) { deprecateRelation(id: $id, reason: $reason) { id rank deprecationReason } }`;
  const SUPERSEDE = `mutation ($id: ID!, $byId: ID!, $reason: String) { supersedeRelation(id: $id, byId: $byId, reason: $reason) { id rank deprecationReason supersededBy { id share } } }`;
  const MERGE = `mutation ($keepId: ID!, $duplicateId: ID!, $reason: String!) { mergeEntities(keepId: $keepId, duplicateId: $duplicateId, reason: $reason) { id aliases } }`;

  test('deprecation hides a fact from default queries and keeps it readable with includeDeprecated', async () => {
    const { data, errors } = await write(DEPRECATE, { id: 'russia-rejects-peace-plan', reason: 'Russia has not seen the plan yet.' });
    expect(errors).toBeUndefined();
    expect(data!.deprecateRelation).toEqual({
      id: 'russia-rejects-peace-plan',
      rank: 'DEPRECATED',
      deprecationReason: 'Russia has not seen the plan yet.',
    });
    const ids = async (includeDeprecated: boolean) =>
      (
        await api.data(
          `query ($d: Boolean) { entity(id: "russia") { relations(types: [REJECTS], includeDeprecated: $d) { edges { node { id rank deprecationReason } } } } }`,
          { d: includeDeprecated },
        )
      ).entity.relations.edges.map((e: any) => e.node);
    expect((await ids(false)).map((r: any) => r.id)).not.toContain('russia-rejects-peace-plan');
    expect(await ids(true)).toContainEqual({
      id: 'russia-rejects-peace-plan',
      rank: 'DEPRECATED',
      deprecationReason: 'Russia has not seen the plan yet.',
    });
    const { neighborhood } = await api.data(`{ neighborhood(id: "russia") { relations { id } } }`);
    expect(neighborhood.relations.map((r: any) => r.id)).not.toContain('russia-rejects-peace-plan');
    // Twice is once: no second change.
    const before = await graphCounts(api.client);
    await write(DEPRECATE, { id: 'russia-rejects-peace-plan', reason: 'again' });
    expect(await graphCounts(api.client)).toEqual(before);
  });

  test('supersession replaces a control figure: the old one is deprecated and points at the new one', async () => {
    const text = 'Russia now controls about 80% of the Donetsk region, officials said in November 2026.';
    const { data } = await ingest(
      smallDocument(text, {
        relations: [
          {
            type: 'CONTROLS',
            source: { id: 'russia' },
            target: { id: 'donetsk-region' },
            share: 0.8,
            approximate: true,
            pointInTime: '2026-11',
            evidence: [{ quote: 'Russia now controls about 80% of the Donetsk region', confidence: 0.8 }],
          },
        ],
      }),
    );
    const newer = data!.ingestDocument.relations[0].relation.id;
    const { data: superseded, errors } = await write(SUPERSEDE, {
      id: 'russia-controls-donetsk-region',
      byId: newer,
      reason: 'A newer figure.',
    });
    expect(errors).toBeUndefined();
    expect(superseded!.supersedeRelation).toEqual({
      id: 'russia-controls-donetsk-region',
      rank: 'DEPRECATED',
      deprecationReason: 'A newer figure.',
      supersededBy: { id: newer, share: 0.8 },
    });
    const control = await api.data(`{ entity(id: "donetsk-region") { ... on Region { control { share relation { id } } } } }`);
    expect(control.entity.control).toEqual([{ share: 0.8, relation: { id: newer } }]);
    const all = await api.data(
      `{ entity(id: "donetsk-region") { relations(types: [CONTROLS], includeDeprecated: true) { edges { node { id rank } } } } }`,
    );
    expect(all.entity.relations.edges.map((e: any) => e.node).sort((a: any, b: any) => a.id.localeCompare(b.id))).toEqual(
      [
        { id: newer, rank: 'NORMAL' },
        { id: 'russia-controls-donetsk-region', rank: 'DEPRECATED' },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );
  });

  test('a fact cannot supersede itself, and an unknown fact is NOT_FOUND', async () => {
    const self = await write(SUPERSEDE, { id: 'rutte-holds-office-nato', byId: 'rutte-holds-office-nato' });
    expect(self.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const missing = await write(DEPRECATE, { id: 'no-such-fact', reason: 'x' });
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  test('a merge moves facts, aliases and evidence, and the duplicate id answers with the kept entity', async () => {
    await ingest(
      smallDocument('Georgia B signed an accord with Ukraine.', {
        relations: [
          {
            type: 'ALLY_OF',
            source: { id: 'georgia-b' },
            target: { id: 'ukraine' },
            evidence: [{ quote: 'Georgia B signed an accord with Ukraine', confidence: 0.6 }],
          },
        ],
      }),
    );
    const { data, errors } = await write(MERGE, {
      keepId: 'georgia-a',
      duplicateId: 'georgia-b',
      reason: 'The same country, entered twice.',
    });
    expect(errors).toBeUndefined();
    expect(data!.mergeEntities.id).toBe('georgia-a');
    const { entity } = await api.data(
      `{ entity(id: "georgia-b") { id evidence { quote } relations { edges { node { type source { id } target { id } } } } } }`,
    );
    expect(entity.id).toBe('georgia-a');
    expect(entity.evidence.map((e: any) => e.quote).sort()).toEqual(['Georgia the country', 'Georgia the other country']);
    expect(entity.relations.edges.map((e: any) => e.node)).toEqual([
      { type: 'ALLY_OF', source: { id: 'georgia-a' }, target: { id: 'ukraine' } },
    ]);
    // No entity is called georgia-b any more, and a name that was ambiguous now resolves.
    const [row] = await api.client.read<{ n: number }>(`MATCH (e:Entity {id: 'georgia-b'}) RETURN count(e) AS n`);
    expect(row!.n).toBe(0);
    const again = await write(MERGE, { keepId: 'georgia-a', duplicateId: 'georgia-b', reason: 'twice' });
    expect(again.data!.mergeEntities.id).toBe('georgia-a');
  });

  test('merging entities of different kinds, or an entity into itself, is refused', async () => {
    expect((await write(MERGE, { keepId: 'russia', duplicateId: 'nato', reason: 'no' })).errors?.[0]?.extensions?.code).toBe(
      'BAD_USER_INPUT',
    );
    expect((await write(MERGE, { keepId: 'russia', duplicateId: 'russia', reason: 'no' })).errors?.[0]?.extensions?.code).toBe(
      'BAD_USER_INPUT',
    );
    expect((await write(MERGE, { keepId: 'russia', duplicateId: 'nowhere', reason: 'no' })).errors?.[0]?.extensions?.code).toBe(
      'NOT_FOUND',
    );
  });
});

describe('the change log', () => {
  test('is queried by document and by entity, newest first; an entity sees changes that touched it through its facts', async () => {
    const byDocument = await api.data(
      `{ changes(documentId: "${LONDON.document.id}") { totalCount edges { node { operation actor document { id } } } } }`,
    );
    expect(byDocument.changes.totalCount).toBe(1);
    expect(byDocument.changes.edges[0].node).toEqual({
      operation: 'INGEST_DOCUMENT',
      actor: 'newsroom',
      document: { id: LONDON.document.id },
    });

    // NATO was not named by the London document, but its office fact with Rutte was corroborated by it.
    const nato = await api.data(`{ changes(entityId: "nato") { edges { node { document { id } } } } }`);
    expect(nato.changes.edges.map((e: any) => e.node.document?.id)).toContain(LONDON.document.id);

    const russia = await api.data(`{ changes(entityId: "russia", first: 50) { edges { node { at operation } } } }`);
    const operations = russia.changes.edges.map((e: any) => e.node.operation);
    expect(operations).toEqual(expect.arrayContaining(['INGEST_DOCUMENT', 'DEPRECATE_RELATION', 'SUPERSEDE_RELATION']));
    const times = russia.changes.edges.map((e: any) => e.node.at);
    expect([...times].sort().reverse()).toEqual(times);
  });

  test('pages continue after a cursor without repeats, and a merged entity keeps its history', async () => {
    const first = await api.data(`{ changes(first: 2) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`);
    const next = await api.data(`query ($after: String) { changes(first: 2, after: $after) { edges { node { id } } } }`, {
      after: first.changes.pageInfo.endCursor,
    });
    expect(first.changes.pageInfo.hasNextPage).toBe(true);
    const ids = [...first.changes.edges, ...next.changes.edges].map((e: any) => e.node.id);
    expect(new Set(ids).size).toBe(4);
    const kept = await api.data(`{ changes(entityId: "georgia-b") { edges { node { operation } } } }`);
    expect(kept.changes.edges.map((e: any) => e.node.operation)).toEqual(expect.arrayContaining(['MERGE_ENTITIES', 'INGEST_DOCUMENT']));
  });
});

describe('suggestEntities', () => {
  test('finds known names and aliases with exact spans, and unknown capitalised phrases unresolved', async () => {
    const text = 'In Kyiv, Zelensky said the Kremlin and Nicolás Maduro were wrong, and Olaf Scholz agreed with the Georgia delegation.';
    const { suggestEntities } = await api.data(
      `query ($text: String!) { suggestEntities(text: $text) { text start end resolved entity { id } candidates { id } } }`,
      { text },
    );
    for (const mention of suggestEntities) expect(text.slice(mention.start, mention.end)).toBe(mention.text);
    const byText = Object.fromEntries(suggestEntities.map((m: any) => [m.text, m]));
    expect(byText['Kyiv']).toMatchObject({ resolved: true, entity: { id: 'ukraine' } });
    expect(byText['Zelensky']).toMatchObject({ resolved: true, entity: { id: 'volodymyr-zelensky' } });
    expect(byText['the Kremlin']).toMatchObject({ resolved: true, entity: { id: 'russia' } });
    expect(byText['Nicolás Maduro']).toMatchObject({ resolved: true, entity: { id: 'nicolas-maduro' } });
    expect(byText['Olaf Scholz']).toEqual({
      text: 'Olaf Scholz',
      start: text.indexOf('Olaf'),
      end: text.indexOf('Olaf') + 11,
      resolved: false,
      entity: null,
      candidates: [],
    });
    // Georgia (COUNTRY) was merged into one entity above, and the region "London" shares no name with it.
    expect(byText['Georgia']).toMatchObject({ resolved: true, entity: { id: 'georgia-a' } });
    expect(suggestEntities.map((m: any) => m.start)).toEqual(
      [...suggestEntities.map((m: any) => m.start)].sort((a: number, b: number) => a - b),
    );
  });

  test('sees an entity ingested a moment ago', async () => {
    const query = `{ suggestEntities(text: "The Zorya Institute opened.") { text resolved } }`;
    expect((await api.data(query)).suggestEntities).toEqual([{ text: 'Zorya Institute', resolved: false }]);
    await ingest({
      document: { title: 'Zorya', text: 'The Zorya Institute opened in Kyiv.' },
      entities: [
        { ref: 'z', kind: 'ORGANIZATION', name: 'Zorya Institute', evidence: [{ quote: 'The Zorya Institute opened', confidence: 0.9 }] },
      ],
      relations: [],
    });
    expect((await api.data(query)).suggestEntities).toEqual([{ text: 'Zorya Institute', resolved: true }]);
  });
});

describe('validation: BAD_USER_INPUT with every offending path, and nothing written', () => {
  const base = (overrides: Partial<IngestDocumentInput['relations'][number]> = {}): IngestDocumentInput => ({
    document: { title: 'Validation', text: 'Russia controls part of Donetsk since 2014. Macron says so.' },
    entities: [],
    relations: [
      {
        type: 'CONTROLS',
        source: { id: 'russia' },
        target: { id: 'donetsk-region' },
        share: 0.3,
        evidence: [{ quote: 'Russia controls part of Donetsk', confidence: 0.8 }],
        ...overrides,
      },
    ],
  });

  test.each([
    [
      'a quote that is not in the text',
      base({ evidence: [{ quote: 'Russia controls all of Donetsk', confidence: 0.8 }] }),
      ['input.relations[0].evidence[0].quote'],
    ],
    [
      'a confidence above 1',
      base({ evidence: [{ quote: 'Russia controls', confidence: 1.5 }] }),
      ['input.relations[0].evidence[0].confidence'],
    ],
    ['a share below 0', base({ share: -0.2 }), ['input.relations[0].share']],
    ['validTo before validFrom', base({ validFrom: '2014', validTo: '2013-06' }), ['input.relations[0].validTo']],
    ['an unknown ref', base({ source: { ref: 'nobody' } }), ['input.relations[0].source.ref']],
    ['claimedBy without modality CLAIMED', base({ claimedBy: { id: 'emmanuel-macron' } }), ['input.relations[0].claimedBy']],
    ['two of id, ref and name at once', base({ source: { id: 'russia', name: 'Russia' } }), ['input.relations[0].source']],
    ['no evidence', base({ evidence: [] }), ['input.relations[0].evidence']],
    ['a fact from an entity to itself', base({ target: { id: 'russia' } }), ['input.relations[0].target']],
  ])('%s', async (_name, input, paths) => {
    const outcome = await refused(input);
    expect(outcome.code).toBe('BAD_USER_INPUT');
    expect(outcome.paths).toEqual(paths);
  });

  test('an impossible date is refused before anything runs', async () => {
    const outcome = await refused(base({ pointInTime: '2026-13-01' }));
    expect(outcome.code).toBe('BAD_USER_INPUT');
    expect(outcome.message).toMatch(/2026-13-01/);
  });

  test('several problems come back in one error, each with its path', async () => {
    const input = base({ share: 2, evidence: [{ quote: 'not in the text', confidence: -1 }] });
    input.document.title = ' ';
    const outcome = await refused(input);
    expect(outcome.paths.sort()).toEqual(
      [
        'input.document.title',
        'input.relations[0].share',
        'input.relations[0].evidence[0].quote',
        'input.relations[0].evidence[0].confidence',
      ].sort(),
    );
  });

  test('a text over the configured maximum, and more relations than allowed, are refused', async () => {
    const small = await TestApi.start({
      seed: false,
      services: (client) => createServices(client, { maxTextBytes: 100, maxRelations: 2 }),
    });
    try {
      const before = await graphCounts(api.client);
      const long = base();
      long.document.text = `${long.document.text} ${'x'.repeat(100)}`;
      const tooLong = await small.query(INGEST, { input: long }, { principal: EDITOR });
      expect(tooLong.errors?.[0]?.extensions?.problems).toEqual([expect.objectContaining({ path: 'input.document.text' })]);
      const many = base();
      many.relations = [many.relations[0]!, many.relations[0]!, many.relations[0]!];
      const tooMany = await small.query(INGEST, { input: many }, { principal: EDITOR });
      expect(tooMany.errors?.[0]?.extensions?.problems).toEqual([expect.objectContaining({ path: 'input.relations' })]);
      expect(await graphCounts(api.client)).toEqual(before);
    } finally {
      await small.stop();
    }
  });

  test('a document id already used for another text is refused', async () => {
    const outcome = await refused({ ...LONDON, document: { ...LONDON.document, text: `${LONDON.document.text} More.` } });
    expect(outcome.paths).toEqual(['input.document.id']);
  });
});

describe('atomicity', () => {
  test('a failure halfway through leaves nothing of the document behind', async () => {
    const failing = await TestApi.start({
      seed: false,
      services: (client) =>
        createServices(client, DEFAULT_INGEST_LIMITS, {
          faultInjection: (stage) => {
            if (stage === 'after-entities') throw new Error('injected fault after the entities were written');
          },
        }),
    });
    try {
      const before = await graphCounts(api.client);
      const input: IngestDocumentInput = {
        document: { id: 'half-written', title: 'Half written', text: 'The Omega Group met the Alpha Group.' },
        entities: [
          { ref: 'o', kind: 'GROUP', name: 'Omega Group', evidence: [{ quote: 'The Omega Group', confidence: 0.9 }] },
          { ref: 'a', kind: 'GROUP', name: 'Alpha Group', evidence: [{ quote: 'the Alpha Group', confidence: 0.9 }] },
        ],
        relations: [
          {
            type: 'ALLY_OF',
            source: { ref: 'o' },
            target: { ref: 'a' },
            evidence: [{ quote: 'The Omega Group met the Alpha Group', confidence: 0.5 }],
          },
        ],
      };
      const result = await failing.query(INGEST, { input }, { principal: EDITOR });
      expect(result.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      expect(await graphCounts(api.client)).toEqual(before);
      const [row] = await api.client.read<{ n: number }>(
        `MATCH (n) WHERE n.id IN ['half-written', 'omega-group', 'alpha-group'] RETURN count(n) AS n`,
      );
      expect(row!.n).toBe(0);
    } finally {
      await failing.stop();
    }
  });
});
