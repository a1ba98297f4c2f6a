/**
 * The seed graph of the first source, read back through the real API and database: values and
 * directions of the facts in each category the article covers.
 */
import { withDeprecatedOfficeFact } from '../helpers/deprecatedFact';
import { TestApi } from '../helpers/graphql';

let api: TestApi;
beforeAll(async () => {
  api = await TestApi.start();
});
afterAll(async () => {
  await api.stop();
});

interface Rel {
  id: string;
  type: string;
  role: string | null;
  share: number | null;
  approximate: boolean;
  modality: string;
  source: { id: string };
  target: { id: string };
  claimedBy: { id: string } | null;
  pointInTime: string | null;
  validFrom: string | null;
  precision: string | null;
}

const REL_FIELDS = 'id type role share approximate modality pointInTime validFrom precision source { id } target { id } claimedBy { id }';

async function relationsOf(id: string, types: string[], direction = 'BOTH'): Promise<Rel[]> {
  const data = await api.data<{ entity: { relations: { edges: { node: Rel }[] } } }>(
    `query ($id: ID!, $types: [RelationType!], $direction: Direction) {
       entity(id: $id) { relations(types: $types, direction: $direction, first: 100) { edges { node { ${REL_FIELDS} } } } }
     }`,
    { id, types, direction },
  );
  return data.entity.relations.edges.map((e) => e.node);
}

const link = (r: Rel) => `${r.source.id} -${r.type}-> ${r.target.id}`;

describe('offices, roles and family ties', () => {
  test.each([
    ['emmanuel-macron', 'france', 'President'],
    ['volodymyr-zelensky', 'ukraine', 'Leader'],
    ['donald-trump', 'united-states', 'President'],
    ['keir-starmer', 'united-kingdom', 'Prime Minister'],
    ['mark-rutte', 'nato', 'Secretary General'],
    ['nicolas-maduro', 'venezuela', 'President'],
  ])('%s holds office in %s as %s', async (person, place, role) => {
    const data = await api.data<{ entity: { offices: Rel[] } }>(
      `query ($id: ID!) { entity(id: $id) { ... on Person { offices { ${REL_FIELDS} } } } }`,
      { id: person },
    );
    const office = data.entity.offices.find((r) => r.type === 'HOLDS_OFFICE');
    expect(office).toMatchObject({ role, source: { id: person }, target: { id: place } });
  });

  test('Witkoff and Kushner represent the United States as mediators in the peace talks', async () => {
    for (const person of ['steve-witkoff', 'jared-kushner']) {
      const rels = (await relationsOf(person, ['REPRESENTS', 'MEDIATES'], 'OUTGOING')).map((r) => `${link(r)} (${r.role ?? ''})`);
      expect(rels).toEqual(
        expect.arrayContaining([
          `${person} -REPRESENTS-> united-states (mediator in peace talks)`,
          `${person} -MEDIATES-> russia-ukraine-peace-talks ()`,
        ]),
      );
    }
  });

  test('Kushner is Trump’s son-in-law, in that direction', async () => {
    const [tie] = await relationsOf('jared-kushner', ['RELATIVE_OF']);
    expect(tie).toMatchObject({ role: 'son-in-law', source: { id: 'jared-kushner' }, target: { id: 'donald-trump' } });
    expect(await relationsOf('donald-trump', ['RELATIVE_OF'], 'OUTGOING')).toEqual([]);
  });
});

describe('the Paris meeting', () => {
  test('host, place, participants and type', async () => {
    const data = await api.data(`{
      entity(id: "paris-coalition-meeting") {
        name
        ... on Event {
          eventType
          location { id }
          participants(first: 50) { totalCount edges { node { id } } }
          hosts: relations(types: [HOSTS], direction: INCOMING) { edges { node { source { id } } } }
        }
      }
    }`);
    expect(data.entity.eventType).toBe('summit');
    expect(data.entity.location).toEqual({ id: 'paris' });
    expect(data.entity.hosts.edges.map((e: any) => e.node.source.id)).toEqual(['emmanuel-macron']);
    const participants = data.entity.participants.edges.map((e: any) => e.node.id);
    expect(participants).toEqual(
      [
        'coalition-of-the-willing',
        'emmanuel-macron',
        'jared-kushner',
        'keir-starmer',
        'mark-rutte',
        'steve-witkoff',
        'volodymyr-zelensky',
      ].sort(),
    );
    expect(data.entity.participants.totalCount).toBe(participants.length);
  });

  test('the coalition, its reported size, and its alliance with Ukraine', async () => {
    const data = await api.data(`{
      entity(id: "coalition-of-the-willing") {
        kind
        ... on Organization { reportedSize minimumMemberCount }
        attributes { name value evidence { quote } }
      }
    }`);
    expect(data.entity).toMatchObject({ kind: 'ORGANIZATION', reportedSize: 'more than 30 countries', minimumMemberCount: 31 });
    const size = data.entity.attributes.find((a: any) => a.name === 'reportedSize');
    expect(size.evidence[0].quote).toContain('more than 30 countries');
    const allies = (await relationsOf('coalition-of-the-willing', ['ALLY_OF'], 'OUTGOING')).map(link);
    expect(allies).toEqual(['coalition-of-the-willing -ALLY_OF-> ukraine']);
  });

  test('the earlier leaders’ talks between Zelensky and Trump', async () => {
    const data = await api.data(
      `{ entity(id: "zelensky-trump-talks") { ... on Event { eventType participants { edges { node { id } } } } } }`,
    );
    expect(data.entity.eventType).toBe('talks');
    expect(data.entity.participants.edges.map((e: any) => e.node.id)).toEqual(['donald-trump', 'volodymyr-zelensky']);
  });
});

describe('proposals and their state', () => {
  test('Zelensky’s plan is 90% agreed by his own claim, not yet presented to Russia, and rejected by it', async () => {
    const data = await api.data(`{
      entity(id: "ukraine-peace-plan") {
        ... on Proposal {
          agreedShare status
          proposedBy { id }
          stances { type source { id } }
          attributes { name value modality claimedBy { id } }
        }
      }
    }`);
    expect(data.entity).toMatchObject({ agreedShare: 0.9, status: 'PARTIALLY_AGREED', proposedBy: [{ id: 'volodymyr-zelensky' }] });
    expect(data.entity.attributes.find((a: any) => a.name === 'agreedShare')).toMatchObject({
      value: '0.9',
      modality: 'CLAIMED',
      claimedBy: { id: 'volodymyr-zelensky' },
    });
    expect(data.entity.stances.map((s: any) => `${s.source.id}:${s.type}`).sort()).toEqual([
      'russia:REJECTS',
      'volodymyr-zelensky:PROPOSES',
    ]);
    const notPresented = await relationsOf('ukraine-peace-plan', ['NOT_PRESENTED_TO'], 'OUTGOING');
    expect(notPresented.map(link)).toEqual(['ukraine-peace-plan -NOT_PRESENTED_TO-> russia']);
  });

  test('the outstanding 10% is territorial concessions that Kyiv is urged to accept', async () => {
    const [part] = await relationsOf('territorial-concessions', ['PART_OF'], 'OUTGOING');
    expect(part).toMatchObject({ share: 0.1, role: 'outstanding', target: { id: 'ukraine-peace-plan' } });
    const urged = await relationsOf('territorial-concessions', ['URGED_TO_ACCEPT'], 'INCOMING');
    expect(urged.map(link)).toEqual(['ukraine -URGED_TO_ACCEPT-> territorial-concessions']);
  });

  test('Washington reportedly proposed security guarantees for a 15-year term', async () => {
    const data = await api.data(`{
      entity(id: "us-security-guarantees") {
        ... on Proposal { termYears status proposedBy { id } stances { type modality source { id } } }
      }
    }`);
    expect(data.entity).toMatchObject({ termYears: 15, proposedBy: [{ id: 'united-states' }] });
    expect(data.entity.stances).toEqual([{ type: 'PROPOSES', modality: 'REPORTED', source: { id: 'united-states' } }]);
  });

  test('the meeting is expected to discuss a multinational force, guarantees and assistance', async () => {
    const discussed = await relationsOf('paris-coalition-meeting', ['DISCUSSES'], 'OUTGOING');
    expect(discussed.map((r) => `${r.target.id}:${r.modality}`).sort()).toEqual([
      'assistance-for-ukraine:EXPECTED',
      'multinational-force:EXPECTED',
      'security-guarantees-for-ukraine:EXPECTED',
    ]);
    const against = await relationsOf('security-guarantees-for-ukraine', ['DIRECTED_AGAINST', 'BENEFITS'], 'OUTGOING');
    expect(against.map(link).sort()).toEqual([
      'security-guarantees-for-ukraine -BENEFITS-> ukraine',
      'security-guarantees-for-ukraine -DIRECTED_AGAINST-> russia',
    ]);
  });
});

describe('territory', () => {
  test('Russia controls around 75% of Donetsk and nearly 99% of Luhansk', async () => {
    for (const [region, share] of [
      ['donetsk-region', 0.75],
      ['luhansk-region', 0.99],
    ] as const) {
      const data = await api.data(
        `query ($id: ID!) { entity(id: $id) { ... on Region { control { controller { id } share approximate asOf evidence { quote confidence } } } } }`,
        { id: region },
      );
      expect(data.entity.control).toHaveLength(1);
      expect(data.entity.control[0]).toMatchObject({ controller: { id: 'russia' }, share, approximate: true, asOf: null });
      expect(data.entity.control[0].evidence[0].quote).toContain(`${Math.round(share * 100)}%`);
    }
  });

  test('Donetsk and Luhansk are neighbours and parts of the Donbas', async () => {
    const data = await api.data(`{ entity(id: "donbas") { ... on Region { parts { id } } } }`);
    expect(data.entity.parts.map((p: any) => p.id).sort()).toEqual(['donetsk-region', 'luhansk-region']);
    const borders = await relationsOf('luhansk-region', ['BORDERS']);
    expect(borders.map(link)).toEqual(['luhansk-region -BORDERS-> donetsk-region']);
    const luhansk = await api.data(`{ entity(id: "luhansk-region") { ... on Region { partOf { id } } } }`);
    expect(luhansk.entity.partOf).toEqual([{ id: 'donbas' }]);
  });
});

describe('military events', () => {
  test('Russia’s full-scale invasion of Ukraine began in February 2022, at month precision', async () => {
    const data = await api.data(
      `{ entity(id: "russian-full-scale-invasion-of-ukraine") { ... on Event { startDate precision eventType } } }`,
    );
    expect(data.entity).toEqual({ startDate: '2022-02', precision: 'MONTH', eventType: 'invasion' });
    const actors = await relationsOf('russian-full-scale-invasion-of-ukraine', ['CARRIED_OUT', 'TARGETS']);
    expect(actors.map(link).sort()).toEqual([
      'russia -CARRIED_OUT-> russian-full-scale-invasion-of-ukraine',
      'russian-full-scale-invasion-of-ukraine -TARGETS-> ukraine',
    ]);
    expect(actors.find((r) => r.type === 'CARRIED_OUT')).toMatchObject({ validFrom: '2022-02', precision: 'MONTH' });
  });

  test('Ukraine’s drone strikes hit an oil depot in the Lipetsk region, in retaliation for the energy strikes', async () => {
    const rels = await relationsOf('ukrainian-drone-strikes-on-russia', ['CARRIED_OUT', 'TARGETS', 'RETALIATES_FOR']);
    expect(rels.map(link).sort()).toEqual([
      'ukraine -CARRIED_OUT-> ukrainian-drone-strikes-on-russia',
      'ukrainian-drone-strikes-on-russia -RETALIATES_FOR-> russian-strikes-on-ukraine-energy-infrastructure',
      'ukrainian-drone-strikes-on-russia -TARGETS-> lipetsk-oil-depot',
      'ukrainian-drone-strikes-on-russia -TARGETS-> russia',
    ]);
    const depot = await api.data(`{ entity(id: "lipetsk-oil-depot") { ... on Facility { location { id } } } }`);
    expect(depot.entity.location).toEqual({ id: 'lipetsk-region' });
    const strikes = await relationsOf('russian-strikes-on-ukraine-energy-infrastructure', ['CARRIED_OUT', 'TARGETS']);
    expect(strikes.map(link).sort()).toEqual([
      'russia -CARRIED_OUT-> russian-strikes-on-ukraine-energy-infrastructure',
      'russian-strikes-on-ukraine-energy-infrastructure -TARGETS-> ukraine-energy-infrastructure',
    ]);
  });
});

describe('the Venezuela backdrop, concerns and expectations', () => {
  test('US military action in Venezuela aimed at ousting Maduro overshadows the Paris meeting', async () => {
    const rels = await relationsOf('us-military-action-in-venezuela', ['CARRIED_OUT', 'TARGETS', 'LOCATED_IN', 'OVERSHADOWS']);
    expect(rels.map(link).sort()).toEqual([
      'united-states -CARRIED_OUT-> us-military-action-in-venezuela',
      'us-military-action-in-venezuela -LOCATED_IN-> venezuela',
      'us-military-action-in-venezuela -OVERSHADOWS-> paris-coalition-meeting',
      'us-military-action-in-venezuela -TARGETS-> nicolas-maduro',
    ]);
    expect(rels.find((r) => r.type === 'TARGETS')?.role).toBe('aimed at ousting');
  });

  test('European leaders are concerned about a return to US interventionism that Trump signalled', async () => {
    const rels = await relationsOf('us-interventionism', ['CONCERNED_ABOUT', 'ANNOUNCES'], 'INCOMING');
    expect(rels.map((r) => `${link(r)}:${r.modality}`).sort()).toEqual([
      'donald-trump -ANNOUNCES-> us-interventionism:EXPECTED',
      'european-leaders -CONCERNED_ABOUT-> us-interventionism:ASSERTED',
    ]);
  });

  test('Ukraine’s European allies seek a US commitment to respond; Macron is expected to keep the focus on Ukraine', async () => {
    const seeks = await relationsOf('european-allies-of-ukraine', ['SEEKS'], 'OUTGOING');
    expect(seeks).toEqual([expect.objectContaining({ role: 'key concern', target: { id: 'us-commitment-to-respond' } })]);
    const requested = await relationsOf('us-commitment-to-respond', ['REQUESTED_FROM'], 'OUTGOING');
    expect(requested.map(link)).toEqual(['us-commitment-to-respond -REQUESTED_FROM-> united-states']);
    const [focus] = await relationsOf('emmanuel-macron', ['PRIORITIZES'], 'OUTGOING');
    expect(focus).toMatchObject({ modality: 'EXPECTED', target: { id: 'ukraine' } });
  });
});

describe('rank', () => {
  const deprecatedId = 'kg-test-deprecated-macron-office';
  withDeprecatedOfficeFact(() => api.client, deprecatedId, 'emmanuel-macron', 'france');

  test('a DEPRECATED fact is hidden unless asked for', async () => {
    const data = await api.data(`{
      entity(id: "emmanuel-macron") {
        shown: relations(types: [HOLDS_OFFICE]) { totalCount edges { node { role rank } } }
        all: relations(types: [HOLDS_OFFICE], includeDeprecated: true) { totalCount edges { node { role rank } } }
      }
      neighborhood(id: "emmanuel-macron", types: [HOLDS_OFFICE]) { relations { id } }
    }`);
    expect(data.entity.shown).toEqual({ totalCount: 1, edges: [{ node: { role: 'President', rank: 'NORMAL' } }] });
    expect(data.entity.all.totalCount).toBe(2);
    expect(data.entity.all.edges.map((e: any) => e.node.rank).sort()).toEqual(['DEPRECATED', 'NORMAL']);
    expect(data.neighborhood.relations.map((r: any) => r.id)).toEqual(['macron-holds-office-france']);
  });
});

describe('documents and unknowns', () => {
  test('the source document is stored whole, with unknown metadata left null', async () => {
    const data = await api.data(`{ document(id: "paris-coalition-summit") { title titleIsEditorial publisher url publishedAt text } }`);
    expect(data.document).toMatchObject({ titleIsEditorial: true, publisher: null, url: null, publishedAt: null });
    expect(data.document.text).toMatch(/^French President Emmanuel Macron is hosting/);
    expect(Buffer.byteLength(data.document.text, 'utf8')).toBe(2458);
  });

  test('a fact can be fetched by its id', async () => {
    const data = await api.data(`{ relation(id: "kushner-relative-of-trump") { type role source { id } target { id } } }`);
    expect(data.relation).toEqual({
      type: 'RELATIVE_OF',
      role: 'son-in-law',
      source: { id: 'jared-kushner' },
      target: { id: 'donald-trump' },
    });
  });

  test('unknown ids give null', async () => {
    const data = await api.data(`{ entity(id: "no-such-entity") { id } document(id: "nope") { id } relation(id: "nope") { id } }`);
    expect(data).toEqual({ entity: null, document: null, relation: null });
  });
});
