/**
 * Bounded database work: a nested dashboard query costs a number of Cypher round trips set by its depth,
 * whatever the number of items at each level.
 */
import { TestApi } from '../helpers/graphql';

let api: TestApi;
const EVENTS = 200;

beforeAll(async () => {
  api = await TestApi.start();
  // 200 events, each with 2 participants who hold office in one of 10 countries, each controlling a region.
  await api.client.write(
    `UNWIND range(0, 9) AS c
     CREATE (country:Entity:Country {id: 'rt-country-' + c, kind: 'COUNTRY', name: 'RoundTrip country ' + c, aliases: [], evidenceDocuments: []})
     CREATE (region:Entity:Region {id: 'rt-region-' + c, kind: 'REGION', name: 'RoundTrip region ' + c, aliases: [], evidenceDocuments: []})
     CREATE (country)-[:CONTROLS {id: 'rt-controls-' + c, share: 0.5, rank: 'NORMAL', modality: 'ASSERTED', evidenceDocuments: []}]->(region)`,
  );
  await api.client.write(
    `UNWIND range(0, $events - 1) AS i
     CREATE (event:Entity:Event {id: 'rt-event-' + i, kind: 'EVENT', name: 'RoundTrip event ' + i, aliases: [], evidenceDocuments: []})
     WITH event, i
     UNWIND [0, 1] AS p
     MATCH (country:Country {id: 'rt-country-' + ((i + p) % 10)})
     CREATE (person:Entity:Person {id: 'rt-person-' + i + '-' + p, kind: 'PERSON', name: 'RoundTrip person ' + i + '-' + p, aliases: [], evidenceDocuments: []})
     CREATE (person)-[:PARTICIPATES_IN {id: 'rt-participates-' + i + '-' + p, rank: 'NORMAL', modality: 'ASSERTED', evidenceDocuments: []}]->(event)
     CREATE (person)-[:HOLDS_OFFICE {id: 'rt-office-' + i + '-' + p, role: 'Minister', rank: 'NORMAL', modality: 'ASSERTED', evidenceDocuments: []}]->(country)`,
    { events: EVENTS },
  );
});

afterAll(async () => {
  await api.client.write(`MATCH (e:Entity) WHERE e.id STARTS WITH 'rt-' DETACH DELETE e`);
  await api.stop();
});

const DASHBOARD_QUERY = `
  query ($first: Int) {
    events(filter: { nameContains: "RoundTrip event" }, orderBy: ID, first: $first) {
      totalCount
      edges { node { id ... on Event {
        participants(first: 10) { edges { node { id ... on Person {
          offices { role target { id ... on Country {
            relations(types: [CONTROLS], first: 5) { totalCount edges { node { share target { id name } } } }
          } } }
        } } } }
      } } }
    }
  }`;

test('events → participants → their countries → relations costs the same round trips for 2 events as for 200', async () => {
  const small = await api.query(DASHBOARD_QUERY, { first: 2 });
  const large = await api.query(DASHBOARD_QUERY, { first: EVENTS });
  expect(small.errors).toBeUndefined();
  expect(large.errors).toBeUndefined();

  // The answers are complete: every event, both participants, their office and country's control.
  const events = (large.data as any).events.edges;
  expect(events).toHaveLength(EVENTS);
  expect((large.data as any).events.totalCount).toBe(EVENTS);
  for (const { node } of events) {
    expect(node.participants.edges).toHaveLength(2);
    for (const { node: person } of node.participants.edges) {
      const [office] = person.offices;
      expect(office.target.relations.totalCount).toBe(1);
      expect(office.target.relations.edges[0].node.target.id).toBe(office.target.id.replace('country', 'region'));
    }
  }

  // Look-ahead reads the whole query in one statement; field by field, it is one round trip per level
  // (list, count, participants, offices, countries, relations, their count, regions), never one per item.
  expect(large.roundTrips).toBe(small.roundTrips);
  expect(large.roundTrips).toBe(1);
  const smallAlone = await api.query(DASHBOARD_QUERY, { first: 2 }, { lookahead: false });
  const largeAlone = await api.query(DASHBOARD_QUERY, { first: EVENTS }, { lookahead: false });
  expect(largeAlone.data).toEqual(large.data);
  expect(largeAlone.roundTrips).toBe(smallAlone.roundTrips);
  expect(largeAlone.roundTrips).toBeLessThanOrEqual(8);
});
