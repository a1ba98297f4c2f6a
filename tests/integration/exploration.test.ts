/** The exploration queries of dashboards and analysts, answered from the seed graph in the real database. */
import { withDeprecatedOfficeFact } from '../helpers/deprecatedFact';
import { TestApi } from '../helpers/graphql';

let api: TestApi;
beforeAll(async () => {
  api = await TestApi.start();
});
afterAll(async () => {
  await api.stop();
});

const ids = (connection: { edges: { node: { id: string } }[] }) => connection.edges.map((e) => e.node.id);

describe('lists', () => {
  test('each kind has a list with a total, sorted by name', async () => {
    const data = await api.data(`{
      people { totalCount edges { node { id name } } }
      countries { totalCount edges { node { id } } }
      organizations { totalCount }
      regions { totalCount }
      proposals { totalCount }
      events { totalCount }
      documents { totalCount edges { node { id } } }
    }`);
    expect(data.people.totalCount).toBe(8);
    const names = data.people.edges.map((e: any) => e.node.name);
    expect(names).toEqual([...names].sort());
    expect(ids(data.countries)).toEqual(['france', 'russia', 'ukraine', 'united-kingdom', 'united-states', 'venezuela']);
    expect(data.organizations.totalCount).toBe(2);
    expect(data.regions.totalCount).toBe(4);
    expect(data.proposals.totalCount).toBe(7);
    expect(data.events.totalCount).toBe(7);
    expect(ids(data.documents)).toEqual(['paris-coalition-summit']);
  });

  test('filters by name or alias, related entity and relation type', async () => {
    const data = await api.data(`{
      byAlias: countries(filter: { nameContains: "kremlin" }) { edges { node { id } } }
      atMeeting: people(filter: { relatedTo: "paris-coalition-meeting", relationTypes: [PARTICIPATES_IN] }, orderBy: ID) { edges { node { id } } }
      officeHolders: people(filter: { relationTypes: [HOLDS_OFFICE] }, orderBy: ID) { totalCount }
      ukraineBeneficiary: proposals(filter: { relatedTo: "ukraine", relationTypes: [BENEFITS] }, orderBy: ID) { edges { node { id } } }
    }`);
    expect(ids(data.byAlias)).toEqual(['russia']);
    expect(ids(data.atMeeting)).toEqual([
      'emmanuel-macron',
      'jared-kushner',
      'keir-starmer',
      'mark-rutte',
      'steve-witkoff',
      'volodymyr-zelensky',
    ]);
    expect(data.officeHolders.totalCount).toBe(6);
    expect(ids(data.ukraineBeneficiary)).toEqual([
      'assistance-for-ukraine',
      'multinational-force',
      'security-guarantees-for-ukraine',
      'us-commitment-to-respond',
      'us-security-guarantees',
    ]);
  });

  test('events filter by date range at the precision of their dates', async () => {
    const inRange = async (from: string | null, to: string | null) =>
      ids(
        (
          await api.data(`query ($from: Date, $to: Date) { events(filter: { from: $from, to: $to }) { edges { node { id } } } }`, {
            from,
            to,
          })
        ).events,
      );
    expect(await inRange('2022-02-24', '2022-02-24')).toEqual(['russian-full-scale-invasion-of-ukraine']);
    expect(await inRange('2022', null)).toEqual(['russian-full-scale-invasion-of-ukraine']);
    expect(await inRange('2022-03', null)).toEqual([]);
    expect(await inRange(null, '2022-01-31')).toEqual([]);
  });

  test('events sort by date, undated last, then by id', async () => {
    const data = await api.data(`{ events(first: 3) { edges { node { id startDate } } } }`);
    expect(data.events.edges.map((e: any) => e.node.id)).toEqual([
      'russian-full-scale-invasion-of-ukraine',
      'paris-coalition-meeting',
      'russia-ukraine-peace-talks',
    ]);
  });

  test('walking every page returns each entity once, in the same order as one big page', async () => {
    const all = ids((await api.data(`{ entities(first: 200) { edges { node { id } } } }`)).entities);
    const walked: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 20; pages += 1) {
      const page: any = (
        await api.data(
          `query ($after: String) { entities(first: 7, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
          { after },
        )
      ).entities;
      walked.push(...ids(page));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(walked).toEqual(all);
    expect(new Set(walked).size).toBe(40);
  });

  test('a cursor from one order is refused by another', async () => {
    const first = await api.data(`{ people(first: 1, orderBy: NAME) { pageInfo { endCursor } } }`);
    const result = await api.query(`query ($after: String) { people(first: 1, orderBy: ID, after: $after) { totalCount } }`, {
      after: first.people.pageInfo.endCursor,
    });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  test('totalCount is counted in the page statement, and only when it is selected', async () => {
    const people = (await api.client.read<{ people: number }>('MATCH (p:Person) RETURN count(p) AS people'))[0]?.people;
    const read = jest.spyOn(api.client, 'read');
    try {
      const without = await api.query(`{ people(first: 2) { edges { node { id } } } }`);
      const withTotal = await api.query(`{ people(first: 2) { totalCount edges { node { id } } } }`);
      expect(without.roundTrips).toBe(1);
      expect(withTotal.roundTrips).toBe(1);
      expect((withTotal.data as any).people.totalCount).toBe(people);
      const [withoutCypher, withCypher] = read.mock.calls.map(([cypher]) => cypher);
      expect(withoutCypher).not.toContain('count(e)');
      expect(withCypher).toContain('count(e)');
    } finally {
      read.mockRestore();
    }
  });
});

describe('inserting between pages', () => {
  const inserted = ['kg-test-aaa-early', 'kg-test-mmm-middle'];
  afterAll(async () => {
    await api.client.write('MATCH (e:Entity) WHERE e.id IN $ids DETACH DELETE e', { ids: inserted });
  });

  test('repeats nothing and skips nothing on the next page', async () => {
    const pageOne = (await api.data(`{ people(first: 3) { edges { node { id name } } pageInfo { endCursor } } }`)).people;
    expect(pageOne.edges.map((e: any) => e.node.name)).toEqual(['Donald Trump', 'Emmanuel Macron', 'Jared Kushner']);
    // One person sorts before the cursor (already passed), one after it (still to come).
    await api.client.write(
      `UNWIND $people AS p CREATE (e:Entity:Person {id: p.id, kind: 'PERSON', name: p.name, aliases: [], evidenceDocuments: []})`,
      {
        people: [
          { id: inserted[0], name: 'Aaron Early' },
          { id: inserted[1], name: 'Keir Middleton' },
        ],
      },
    );
    const pageTwo = (
      await api.data(`query ($after: String) { people(first: 3, after: $after) { edges { node { name } } } }`, {
        after: pageOne.pageInfo.endCursor,
      })
    ).people;
    expect(pageTwo.edges.map((e: any) => e.node.name)).toEqual(['Keir Middleton', 'Keir Starmer', 'Mark Rutte']);
  });
});

describe('search', () => {
  const top = async (text: string, kinds?: string[]) =>
    (
      await api.data(
        `query ($text: String!, $kinds: [EntityKind!]) { search(text: $text, kinds: $kinds, first: 5) { score entity { id } } }`,
        { text, kinds },
      )
    ).search.map((hit: any) => hit.entity.id);

  test('tolerates a typo and a prefix, and ranks the entity meant first', async () => {
    expect((await top('Zelenskyy'))[0]).toBe('volodymyr-zelensky');
    expect((await top('Zelen'))[0]).toBe('volodymyr-zelensky');
    expect((await top('Donetsk'))[0]).toBe('donetsk-region');
  });

  test('filters by kind', async () => {
    const kindsOfHits = async (kinds?: string[]) =>
      (
        await api.data(
          `query ($kinds: [EntityKind!]) { search(text: "Ukraine", kinds: $kinds, first: 5) { entity { id kind __typename } } }`,
          { kinds },
        )
      ).search.map((hit: any) => `${hit.entity.kind} ${hit.entity.__typename}`);
    // Unfiltered, other kinds rank among the first hits (Ukraine itself is a country).
    expect(await kindsOfHits()).toContain('COUNTRY Country');
    const proposals = await kindsOfHits(['PROPOSAL']);
    expect(proposals.length).toBeGreaterThan(0);
    expect(proposals).toEqual(proposals.map(() => 'PROPOSAL Proposal'));
    const two = await kindsOfHits(['PROPOSAL', 'COUNTRY']);
    expect(two).toContain('COUNTRY Country');
    expect(two.filter((kind: string) => kind !== 'PROPOSAL Proposal' && kind !== 'COUNTRY Country')).toEqual([]);
  });

  test.each(['AND (', '"', 'OR', '*', '?', 'title:"', '\\', ')(', '~~~', '[a TO z]', '{}', '/regex/', '&&||!', ''])(
    'hostile text %j is answered without error',
    async (text) => {
      const result = await api.query(`query ($text: String!) { search(text: $text) { entity { id } } }`, { text });
      expect(result.errors).toBeUndefined();
      expect(Array.isArray(result.data?.search)).toBe(true);
    },
  );
});

describe('path', () => {
  test('explains how Jared Kushner is connected to Volodymyr Zelensky, with evidence on each hop', async () => {
    const data = await api.data(`{
      path(fromId: "jared-kushner", toId: "volodymyr-zelensky") {
        length
        nodes { id }
        hops { forward from { id } to { id } relation { type evidence { quote } } }
      }
    }`);
    expect(data.path.length).toBe(2);
    expect(data.path.nodes.map((n: any) => n.id)).toEqual(['jared-kushner', 'paris-coalition-meeting', 'volodymyr-zelensky']);
    expect(data.path.hops.map((h: any) => `${h.from.id}>${h.to.id}:${h.relation.type}:${h.forward}`)).toEqual([
      'jared-kushner>paris-coalition-meeting:PARTICIPATES_IN:true',
      'paris-coalition-meeting>volodymyr-zelensky:PARTICIPATES_IN:false',
    ]);
    for (const hop of data.path.hops) expect(hop.relation.evidence.length).toBeGreaterThan(0);
  });

  test('is null when no path lies within maxHops, or an id is unknown', async () => {
    const data = await api.data(`{
      tooShort: path(fromId: "jared-kushner", toId: "volodymyr-zelensky", maxHops: 1) { length }
      family: path(fromId: "jared-kushner", toId: "volodymyr-zelensky", types: [RELATIVE_OF]) { length }
      unknown: path(fromId: "jared-kushner", toId: "nobody") { length }
    }`);
    expect(data).toEqual({ tooShort: null, family: null, unknown: null });
  });

  test('allShortestPaths returns every path of the shortest length', async () => {
    const data = await api.data(`{ allShortestPaths(fromId: "donald-trump", toId: "volodymyr-zelensky") { length nodes { id } } }`);
    expect(data.allShortestPaths.length).toBeGreaterThan(0);
    const lengths = new Set(data.allShortestPaths.map((p: any) => p.length));
    expect(lengths).toEqual(new Set([2]));
    expect(data.allShortestPaths.map((p: any) => p.nodes[1].id)).toContain('zelensky-trump-talks');
  });

  test('maxHops above 6 is a BAD_USER_INPUT', async () => {
    const result = await api.query(`{ path(fromId: "a", toId: "b", maxHops: 7) { length } }`);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'maxHops' });
  });
});

describe('neighborhood', () => {
  test('reports truncation against the node limit, centre first', async () => {
    const data = await api.data(
      `{ neighborhood(id: "ukraine", depth: 2, limit: 5) { truncated nodes { id } relations { source { id } target { id } } } }`,
    );
    expect(data.neighborhood.truncated).toBe(true);
    expect(data.neighborhood.nodes).toHaveLength(5);
    expect(data.neighborhood.nodes[0].id).toBe('ukraine');
    const nodeIds = new Set(data.neighborhood.nodes.map((n: any) => n.id));
    for (const r of data.neighborhood.relations) expect(nodeIds.has(r.source.id) && nodeIds.has(r.target.id)).toBe(true);
  });

  test('filters by relation type and kind', async () => {
    const data = await api.data(`{
      regions: neighborhood(id: "donbas", depth: 2, types: [PART_OF, CONTROLS, BORDERS]) { truncated nodes { id } }
      onlyRegions: neighborhood(id: "donbas", depth: 2, kinds: [REGION]) { nodes { id } }
    }`);
    expect(data.regions.truncated).toBe(false);
    expect(data.regions.nodes.map((n: any) => n.id).sort()).toEqual(['donbas', 'donetsk-region', 'luhansk-region', 'russia']);
    expect(data.onlyRegions.nodes.map((n: any) => n.id).sort()).toEqual(['donbas', 'donetsk-region', 'luhansk-region']);
  });

  test('an unknown id gives an empty subgraph', async () => {
    const data = await api.data(`{ neighborhood(id: "nobody") { truncated nodes { id } relations { id } } }`);
    expect(data.neighborhood).toEqual({ truncated: false, nodes: [], relations: [] });
  });

  const shape = (subgraph: { nodes: { id: string }[]; relations: { id: string }[] }) => ({
    nodes: subgraph.nodes.map((n) => n.id).sort(),
    relations: subgraph.relations.map((r) => r.id).sort(),
  });

  test('asOf keeps the facts that held on that date, and reaches entities only through them', async () => {
    // The invasion fact is the seed's only dated one (from 2022-02); undated facts count as current.
    const data = await api.data(`{
      before: neighborhood(id: "russia", depth: 2, asOf: "2022-01") { nodes { id } relations { id } }
      during: neighborhood(id: "russia", depth: 2, asOf: "2022-03") { nodes { id } relations { id } }
      wholeYear: neighborhood(id: "russia", asOf: "2022") { nodes { id } relations { id } }
      later: neighborhood(id: "russia", depth: 2, asOf: "2999-01-01") { nodes { id } relations { id } }
      always: neighborhood(id: "russia", depth: 2) { nodes { id } relations { id } }
    }`);
    expect(shape(data.before)).toEqual({ nodes: ['russia'], relations: [] });
    expect(shape(data.during)).toEqual({
      nodes: ['russia', 'russian-full-scale-invasion-of-ukraine'],
      relations: ['russia-carried-out-full-scale-invasion'],
    });
    expect(shape(data.wholeYear).relations).toEqual(['russia-carried-out-full-scale-invasion']);
    expect(shape(data.later)).toEqual(shape(data.always));
    expect(shape(data.always).relations).toEqual(
      expect.arrayContaining(['russia-carried-out-full-scale-invasion', 'russia-rejects-peace-plan']),
    );
  });

  test('a malformed asOf is a BAD_USER_INPUT', async () => {
    const result = await api.query(`query ($asOf: Date) { neighborhood(id: "russia", asOf: $asOf) { truncated } }`, { asOf: '2022-13' });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  describe('with a DEPRECATED fact', () => {
    const deprecatedId = 'kg-test-deprecated-macron-office-uk';
    withDeprecatedOfficeFact(() => api.client, deprecatedId, 'emmanuel-macron', 'united-kingdom');

    test('includeDeprecated walks and returns it; by default it is neither walked nor returned', async () => {
      const data = await api.data(`{
        hidden: neighborhood(id: "emmanuel-macron") { nodes { id } relations { id rank } }
        shown: neighborhood(id: "emmanuel-macron", includeDeprecated: true) { nodes { id } relations { id rank } }
        uk: neighborhood(id: "united-kingdom", depth: 1, includeDeprecated: true, types: [HOLDS_OFFICE]) { nodes { id } relations { id } }
      }`);
      expect(shape(data.hidden).nodes).not.toContain('united-kingdom');
      expect(shape(data.hidden).relations).not.toContain(deprecatedId);
      expect(shape(data.shown).nodes).toEqual([...shape(data.hidden).nodes, 'united-kingdom'].sort());
      expect(data.shown.relations).toContainEqual({ id: deprecatedId, rank: 'DEPRECATED' });
      expect(shape(data.uk)).toEqual({ nodes: ['emmanuel-macron', 'keir-starmer', 'united-kingdom'], relations: expect.any(Array) });
      expect(shape(data.uk).relations).toEqual([deprecatedId, 'starmer-holds-office-united-kingdom'].sort());
    });
  });
});

describe('timeline', () => {
  test('Ukraine’s events in date order, with precision and participants', async () => {
    const data = await api.data(`{
      timeline(entityId: "ukraine") {
        totalCount
        edges { node { id startDate precision participants { edges { node { id } } } } }
      }
    }`);
    expect(data.timeline.totalCount).toBe(2);
    expect(data.timeline.edges.map((e: any) => e.node)).toEqual([
      {
        id: 'russian-full-scale-invasion-of-ukraine',
        startDate: '2022-02',
        precision: 'MONTH',
        participants: { edges: [{ node: { id: 'russia' } }] },
      },
      { id: 'ukrainian-drone-strikes-on-russia', startDate: null, precision: null, participants: { edges: [{ node: { id: 'ukraine' } }] } },
    ]);
  });

  test('a date range keeps dated events only', async () => {
    const data = await api.data(`{ timeline(entityId: "russia", from: "2020", to: "2030") { edges { node { id } } } }`);
    expect(ids(data.timeline)).toEqual(['russian-full-scale-invasion-of-ukraine']);
  });
});

describe('valid time', () => {
  const testFact = 'kg-test-russia-controls-donetsk-2014';
  beforeAll(async () => {
    await api.client.write(
      `MATCH (a:Entity {id: 'russia'}), (b:Entity {id: 'donetsk-region'})
       CREATE (a)-[:CONTROLS {id: $id, share: 0.33, approximate: true, pointInTime: '2014-08', rank: 'NORMAL', modality: 'ASSERTED',
         evidenceDocuments: ['paris-coalition-summit'], evidenceQuotes: ['Donetsk region'], evidenceConfidences: [0.5]}]->(b)`,
      { id: testFact },
    );
  });
  afterAll(async () => {
    await api.client.write('MATCH ()-[r:CONTROLS {id: $id}]->() DELETE r', { id: testFact });
  });

  const controlAsOf = async (asOf: string | null) =>
    (
      await api.data(
        `query ($asOf: Date) { entity(id: "donetsk-region") { ... on Region { control(asOf: $asOf) { share asOf precision } } } }`,
        { asOf },
      )
    ).entity.control.sort((a: any, b: any) => a.share - b.share);

  test('before any recorded control fact, nobody is recorded in control', async () => {
    expect(await controlAsOf('2014-07')).toEqual([]);
  });

  test('after a dated fact, its figure holds until today; the undated current figure joins from today on', async () => {
    expect(await controlAsOf('2014-08-15')).toEqual([{ share: 0.33, asOf: '2014-08', precision: 'MONTH' }]);
    expect(await controlAsOf('2020')).toEqual([{ share: 0.33, asOf: '2014-08', precision: 'MONTH' }]);
    const today = new Date().toISOString().slice(0, 10);
    expect(await controlAsOf(today)).toEqual([
      { share: 0.33, asOf: '2014-08', precision: 'MONTH' },
      { share: 0.75, asOf: null, precision: null },
    ]);
  });

  test('without asOf every recorded figure is listed', async () => {
    expect((await controlAsOf(null)).map((c: any) => c.share)).toEqual([0.33, 0.75]);
  });

  test('asOf works on any relation list too', async () => {
    const data = await api.data(`{
      then: entity(id: "russia") { relations(types: [CONTROLS], asOf: "2015") { totalCount } }
      now: entity(id: "russia") { relations(types: [CONTROLS]) { totalCount } }
    }`);
    expect(data.then.relations.totalCount).toBe(1);
    expect(data.now.relations.totalCount).toBe(3);
  });
});

describe('dashboard aggregates', () => {
  test('stats count entities by kind and facts by type', async () => {
    const data = await api.data(
      `{ stats { entityCount relationCount documentCount entitiesByKind { kind count } relationsByType { type count } } }`,
    );
    const kinds = Object.fromEntries(data.stats.entitiesByKind.map((k: any) => [k.kind, k.count]));
    expect(kinds).toMatchObject({ PERSON: 8, COUNTRY: 6, EVENT: 7, PROPOSAL: 7, REGION: 4 });
    const types = Object.fromEntries(data.stats.relationsByType.map((t: any) => [t.type, t.count]));
    expect(types).toMatchObject({ HOLDS_OFFICE: 6, CONTROLS: 2, RELATIVE_OF: 1, PARTICIPATES_IN: 9 });
    expect(data.stats).toMatchObject({ entityCount: 40, relationCount: 70, documentCount: 1 });
  });

  test('mostConnected ranks by degree, per kind', async () => {
    const data = await api.data(`{ mostConnected(kind: COUNTRY, first: 2) { degree entity { id } } }`);
    expect(data.mostConnected.map((r: any) => r.entity.id)).toEqual(['ukraine', 'russia']);
    expect(data.mostConnected[0].degree).toBeGreaterThanOrEqual(data.mostConnected[1].degree);
  });

  test('coOccurrence ranks the entities sharing the most events and documents', async () => {
    const data = await api.data(`{ coOccurrence(id: "jared-kushner", first: 3) { sharedEvents sharedDocuments count entity { id } } }`);
    const [best] = data.coOccurrence;
    // Kushner shares the Paris meeting and the peace talks with Witkoff, and both are in the one document.
    expect(best).toEqual({ sharedEvents: 2, sharedDocuments: 1, count: 3, entity: { id: 'steve-witkoff' } });
  });
});
