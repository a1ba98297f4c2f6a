/**
 * The dashboard operations of the benchmark, each written three times: as a GraphQL operation for this
 * service, as the closest @neo4j/graphql 7 operation (or N/A with the reason), and as hand-written Cypher
 * for the floor. Each also says how to reduce an answer to what must agree across targets (mostly ids),
 * so that every target is checked to give the same answer before it is measured.
 */
import type { EntityKind, RelationType } from '../src/generated/graphql';
import { searchTerms, toLuceneQuery } from '../src/data/exploration';
import { periodStart } from '../src/data/validTime';
import { RELATION_TYPES } from '../src/data/graph';
import { TYPE_NAME_BY_KIND } from '../src/models/kinds';
import { NEIGHBORHOOD_EXPANSION } from '../src/limits';
import { fieldCount, fieldName, searchQueryName, type RelationDomain, type RelationField } from './targets/neo4jGraphqlTypeDefs';

/** The ids and texts an operation is run with; chosen per scale by bench/fixtures.ts. */
export interface Fixtures {
  /** An entity with a dashboard-sized number of facts (entity page, id lookup, neighborhood centre, path start). */
  entityId: string;
  entityKind: EntityKind;
  search: { text: string; kind: EntityKind };
  path: { from: string; to: string };
  /** An entity linked to a page's worth of events. */
  timelineEntityId: string;
  representations: { __typename: string; id: string }[];
}

export interface GraphQLRequest {
  query: string;
  variables: Record<string, unknown>;
}

/** Runs one read statement; the floor's only access to Neo4j. */
export type CypherRunner = (cypher: string, params: Record<string, unknown>) => Promise<Record<string, any>[]>;

export interface Operation {
  name: string;
  title: string;
  /** Only run for the scaling curve, not in the main matrix. */
  scalingOnly?: boolean;
  ours(f: Fixtures): GraphQLRequest;
  /** The @neo4j/graphql request, or why it cannot be expressed. */
  neo4jGraphql(f: Fixtures, domain: RelationDomain): GraphQLRequest | { na: string };
  floor: {
    variables(f: Fixtures): Record<string, unknown>;
    run(cypher: CypherRunner, variables: Record<string, any>): Promise<unknown>;
  };
  /** Each target's answer (the `data` of a GraphQL response, or the floor's JSON) reduced to what must agree. */
  answer: { ours(data: any): unknown; neo4jGraphql(data: any): unknown; floor(data: any): unknown };
  /** Default: the reduced answers are deeply equal. */
  agree?(reference: any, other: any): boolean;
}

const NOT_DEPRECATED = `coalesce(r.rank, 'NORMAL') <> 'DEPRECATED'`;
/** @neo4j/graphql: facts the service shows by default (every stored fact has a rank). */
const SHOWN_FACT = `{ edge: { rank: { in: ["NORMAL", "PREFERRED"] } } }`;
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const sortedIds = (items: { id: string }[]) => items.map((i) => i.id).sort();

/** The relationship fields of each kind, as inline fragments of selections built by `select(name, field)`. */
function perKind(domain: RelationDomain, kinds: readonly EntityKind[], select: (name: string, field: RelationField) => string): string {
  return kinds
    .map((kind) => {
      const fields = (domain.get(kind) ?? []).map((field) => select(fieldName(field), field));
      return fields.length > 0 ? `... on ${TYPE_NAME_BY_KIND[kind]} {\n${fields.join('\n')}\n}` : '';
    })
    .join('\n');
}

/** @neo4j/graphql's list query of a kind: `people`, `countries`, `events`, ... */
function pluralQuery(kind: EntityKind): string {
  const irregular: Partial<Record<EntityKind, string>> = {
    PERSON: 'people',
    COUNTRY: 'countries',
    CITY: 'cities',
    FACILITY: 'facilities',
    POLICY: 'policies',
  };
  return irregular[kind] ?? `${TYPE_NAME_BY_KIND[kind].toLowerCase()}s`;
}

/** Every `...Connection` field of a @neo4j/graphql answer object, flattened to its edges. */
function connectionEdges(node: Record<string, any>): { field: string; edge: any }[] {
  return Object.entries(node)
    .filter(([key, value]) => key.endsWith('Connection') && value && Array.isArray(value.edges))
    .flatMap(([field, value]) => (value.edges as any[]).map((edge) => ({ field, edge })));
}

const lookup: Operation = {
  name: 'lookup',
  title: 'entity by id (id, kind, name)',
  scalingOnly: true,
  ours: (f) => ({ query: 'query Lookup($id: ID!) { entity(id: $id) { id kind name } }', variables: { id: f.entityId } }),
  neo4jGraphql: (f) => ({
    query: 'query Lookup($id: ID!) { entities(where: { id: { eq: $id } }) { id kind name } }',
    variables: { id: f.entityId },
  }),
  floor: {
    variables: (f) => ({ id: f.entityId }),
    run: async (cypher, v) => (await cypher('MATCH (e:Entity {id: $id}) RETURN e {.id, .kind, .name} AS e', { id: v.id }))[0]?.e ?? null,
  },
  answer: {
    ours: (d) => d.entity,
    neo4jGraphql: (d) => d.entities[0] ?? null,
    floor: (d) => d,
  },
};

const RELATION_LIMIT = 50;
const entity: Operation = {
  name: 'entity',
  title: 'entity by id with its relations',
  ours: (f) => ({
    query: `query EntityPage($id: ID!) {
  entity(id: $id) {
    id kind name aliases description
    relations(first: ${RELATION_LIMIT}) {
      edges { node { id type role share pointInTime validFrom validTo source { id name kind } target { id name kind } evidence { quote confidence } } }
    }
  }
}`,
    variables: { id: f.entityId },
  }),
  // The client knows the entity's kind (from the link or search hit that led to the page) and asks that
  // type for its fact fields. Asking the Entity interface with every kind's fields instead costs 1.4 s of
  // query translation per request and over a minute of Neo4j planning: see bench/README.md.
  neo4jGraphql: (f, domain) => ({
    query: `query EntityPage($id: ID!) {
  ${pluralQuery(f.entityKind)}(where: { id: { eq: $id } }) {
    id kind name aliases description
${perKind(
  domain,
  [f.entityKind],
  (field) =>
    `    ${field}Connection(first: ${RELATION_LIMIT}, sort: [{ edge: { id: ASC } }], where: ${SHOWN_FACT}) { edges { properties { id role share pointInTime validFrom validTo evidenceQuotes evidenceConfidences } node { id name kind } } }`,
)}
  }
}`,
    variables: { id: f.entityId },
  }),
  floor: {
    variables: (f) => ({ id: f.entityId }),
    run: async (cypher, v) =>
      (
        await cypher(
          `MATCH (e:Entity {id: $id})
           RETURN e {.id, .kind, .name, .aliases, .description, relations: COLLECT {
             MATCH (e)-[r]-(o:Entity) WHERE ${NOT_DEPRECATED}
             WITH r, o ORDER BY r.id LIMIT $limit
             WITH r, CASE WHEN startNode(r) = e THEN e ELSE o END AS s, CASE WHEN startNode(r) = e THEN o ELSE e END AS t
             RETURN r {.id, type: type(r), .role, .share, .pointInTime, .validFrom, .validTo,
               source: s {.id, .name, .kind}, target: t {.id, .name, .kind},
               evidence: [i IN range(0, size(coalesce(r.evidenceQuotes, [])) - 1) | {quote: r.evidenceQuotes[i], confidence: r.evidenceConfidences[i]}]}
           }} AS entity`,
          { id: v.id, limit: RELATION_LIMIT },
        )
      )[0]?.entity ?? null,
  },
  answer: {
    ours: (d) => d.entity && { id: d.entity.id, relations: d.entity.relations.edges.map((e: any) => e.node.id) },
    // Facts of every type, each list capped at the page size: the service's page is the first 50 by id.
    neo4jGraphql: (d) => {
      const e = d[Object.keys(d)[0]!][0];
      return (
        e && {
          id: e.id,
          relations: connectionEdges(e)
            .map(({ edge }) => edge.properties.id as string)
            .sort()
            .slice(0, RELATION_LIMIT),
        }
      );
    },
    floor: (d) => d && { id: d.id, relations: d.relations.map((r: any) => r.id) },
  },
};

const SEARCH_FIRST = 10;
const search: Operation = {
  name: 'search',
  title: 'full-text search, one kind, top 10',
  ours: (f) => ({
    query:
      'query Search($text: String!, $kinds: [EntityKind!]) { search(text: $text, kinds: $kinds, first: 10) { score entity { id name kind } } }',
    variables: { text: f.search.text, kinds: [f.search.kind] },
  }),
  // The client has to build the Lucene query itself (the service does it from plain text); it sends ours.
  neo4jGraphql: (f) => ({
    query: `query Search($phrase: String!) { ${searchQueryName(f.search.kind)}(phrase: $phrase, first: ${SEARCH_FIRST}, sort: [{ score: DESC }]) { edges { score node { id name kind } } } }`,
    variables: { phrase: toLuceneQuery(f.search.text) },
  }),
  floor: {
    variables: (f) => ({ query: toLuceneQuery(f.search.text), terms: searchTerms(f.search.text), kinds: [f.search.kind] }),
    run: async (cypher, v) =>
      (
        await cypher(
          `CALL db.index.fulltext.queryNodes('entity_search', $query) YIELD node AS e, score
           WHERE e.kind IN $kinds
           WITH e, score, [name IN [e.name] + e.aliases WHERE any(term IN $terms WHERE toLower(name) CONTAINS term) | size(name)] AS matched
           RETURN e {.id, .name, .kind} AS entity, score
           ORDER BY score DESC, reduce(shortest = 1000, length IN matched | CASE WHEN length < shortest THEN length ELSE shortest END), e.id
           LIMIT $first`,
          { ...v, first: SEARCH_FIRST },
        )
      ).map((row) => ({ score: row.score, entity: row.entity })),
  },
  answer: {
    ours: (d) => d.search.map((h: any) => ({ id: h.entity.id, score: h.score })),
    neo4jGraphql: (d) => d[Object.keys(d)[0]!].edges.map((e: any) => ({ id: e.node.id, score: e.score })),
    floor: (d) => d.map((h: any) => ({ id: h.entity.id, score: h.score })),
  },
  // Hits tied on score at the cut-off may differ: the service breaks ties by the shortest matching name,
  // which @neo4j/graphql cannot sort by. Everything scoring above the last score must agree.
  agree: (reference: { id: string; score: number }[], other: { id: string; score: number }[]) => {
    if (reference.length !== other.length) return false;
    if (reference.length === 0) return true;
    const cut = reference[reference.length - 1]!.score;
    const above = (hits: typeof reference) =>
      hits
        .filter((h) => h.score > cut + 1e-9)
        .map((h) => h.id)
        .sort()
        .join();
    return above(reference) === above(other) && Math.abs(cut - other[other.length - 1]!.score) < 1e-6;
  },
};

const LIST_FIRST = 20;
const list: Operation = {
  name: 'list',
  title: 'list page (people by name) with totalCount',
  ours: () => ({
    query: `query People { people(first: ${LIST_FIRST}) { totalCount edges { node { id name } } pageInfo { hasNextPage endCursor } } }`,
    variables: {},
  }),
  neo4jGraphql: () => ({
    query: `query People { peopleConnection(first: ${LIST_FIRST}, sort: [{ name: ASC }, { id: ASC }]) { totalCount edges { node { id name } } pageInfo { hasNextPage endCursor } } }`,
    variables: {},
  }),
  floor: {
    variables: () => ({}),
    run: async (cypher) => {
      const [row] = await cypher(
        `CALL { MATCH (e:Person) RETURN count(e) AS total }
         CALL { MATCH (e:Entity:Person) WHERE e.name IS NOT NULL WITH e ORDER BY e.name, e.id LIMIT $take RETURN collect(e {.id, .name}) AS page }
         RETURN total, page`,
        { take: LIST_FIRST + 1 },
      );
      const page = (row?.page ?? []) as { id: string; name: string }[];
      return { totalCount: row?.total ?? 0, nodes: page.slice(0, LIST_FIRST), hasNextPage: page.length > LIST_FIRST };
    },
  },
  answer: {
    ours: (d) => ({ total: d.people.totalCount, ids: d.people.edges.map((e: any) => e.node.id), more: d.people.pageInfo.hasNextPage }),
    neo4jGraphql: (d) => ({
      total: d.peopleConnection.totalCount,
      ids: d.peopleConnection.edges.map((e: any) => e.node.id),
      more: d.peopleConnection.pageInfo.hasNextPage,
    }),
    floor: (d) => ({ total: d.totalCount, ids: d.nodes.map((n: any) => n.id), more: d.hasNextPage }),
  },
};

const EVENTS_FIRST = 10;
const PARTICIPANTS_FIRST = 20;
const CONTROLS_FIRST = 20;
/** The facts that make an actor an event's participant (src/resolvers/Event.ts). */
const PARTICIPATION: RelationType[] = ['PARTICIPATES_IN', 'HOSTS', 'MEDIATES', 'CARRIED_OUT'];
const nested: Operation = {
  name: 'nested',
  title: 'events → participants → country → CONTROLS facts',
  ours: () => ({
    query: `query EventsParticipantsControl {
  events(first: ${EVENTS_FIRST}, orderBy: NAME) {
    edges { node {
      id name startDate
      participants(first: ${PARTICIPANTS_FIRST}) { edges { node {
        id name kind
        ... on Country { relations(types: [CONTROLS], direction: OUTGOING, first: ${CONTROLS_FIRST}) { edges { node { id share target { id name } } } } }
      } } }
    } }
  }
}`,
    variables: {},
  }),
  // Participants come from one relationship field per fact type and participant kind; each is fetched
  // sorted by id and capped, and the client merges them (the first 20 of the union are among the first 20
  // of each). The same for a country's CONTROLS facts.
  neo4jGraphql: (_f, domain) => {
    const participantFields = (domain.get('EVENT') ?? [])
      .filter((f) => f.direction === 'IN' && PARTICIPATION.includes(f.type))
      .map(
        (f) =>
          `${fieldName(f)}Connection(first: ${PARTICIPANTS_FIRST}, sort: [{ node: { id: ASC } }], where: ${SHOWN_FACT}) { edges { node { ...Participant } } }`,
      );
    const controlFields = (domain.get('COUNTRY') ?? [])
      .filter((f) => f.direction === 'OUT' && f.type === 'CONTROLS')
      .map(
        (f) =>
          `${fieldName(f)}Connection(first: ${CONTROLS_FIRST}, sort: [{ edge: { id: ASC } }], where: ${SHOWN_FACT}) { edges { properties { id share } node { id name } } }`,
      );
    return {
      query: `query EventsParticipantsControl {
  eventsConnection(first: ${EVENTS_FIRST}, sort: [{ name: ASC }, { id: ASC }]) {
    edges { node {
      id name startDate
      ${participantFields.join('\n      ')}
    } }
  }
}
fragment Participant on Entity {
  id name kind
  ... on Country {
    ${controlFields.join('\n    ')}
  }
}`,
      variables: {},
    };
  },
  floor: {
    variables: () => ({}),
    run: async (cypher) =>
      (
        await cypher(
          `MATCH (ev:Entity:Event) WHERE ev.name IS NOT NULL WITH ev ORDER BY ev.name, ev.id LIMIT $events
           RETURN ev {.id, .name, .startDate, participants: COLLECT {
             MATCH (p:Entity)-[r:${PARTICIPATION.join('|')}]->(ev) WHERE ${NOT_DEPRECATED}
             WITH DISTINCT p ORDER BY p.id LIMIT $participants
             RETURN p {.id, .name, .kind, controls: CASE WHEN p:Country THEN COLLECT {
               MATCH (p)-[r:CONTROLS]->(t:Entity) WHERE ${NOT_DEPRECATED}
               WITH r, t ORDER BY r.id LIMIT $controls
               RETURN {id: r.id, share: r.share, target: t {.id, .name}}
             } END}
           }} AS event`,
          { events: EVENTS_FIRST, participants: PARTICIPANTS_FIRST, controls: CONTROLS_FIRST },
        )
      ).map((row) => row.event),
  },
  answer: {
    ours: (d) =>
      d.events.edges.map(({ node: ev }: any) => ({
        id: ev.id,
        participants: ev.participants.edges.map(({ node: p }: any) => ({
          id: p.id,
          controls: p.relations ? p.relations.edges.map((e: any) => e.node.id) : null,
        })),
      })),
    neo4jGraphql: (d) =>
      d.eventsConnection.edges.map(({ node: ev }: any) => {
        const seen = new Map<string, any>();
        for (const { edge } of connectionEdges(ev)) seen.set(edge.node.id, edge.node);
        const participants = [...seen.values()].sort(byId).slice(0, PARTICIPANTS_FIRST);
        return {
          id: ev.id,
          participants: participants.map((p) => ({
            id: p.id,
            controls:
              p.kind === 'COUNTRY'
                ? connectionEdges(p)
                    .map(({ edge }) => edge.properties.id as string)
                    .sort()
                    .slice(0, CONTROLS_FIRST)
                : null,
          })),
        };
      }),
    floor: (d) =>
      d.map((ev: any) => ({
        id: ev.id,
        participants: ev.participants.map((p: any) => ({ id: p.id, controls: p.controls ? p.controls.map((c: any) => c.id) : null })),
      })),
  },
};

const NEIGHBORHOOD_DEPTH = 2;
const NEIGHBORHOOD_LIMIT = 100;
const neighborhood: Operation = {
  name: 'neighborhood',
  title: 'neighborhood, depth 2, up to 100 nodes',
  ours: (f) => ({
    query: `query Neighborhood($id: ID!) { neighborhood(id: $id, depth: ${NEIGHBORHOOD_DEPTH}, limit: ${NEIGHBORHOOD_LIMIT}) { truncated nodes { id name kind } relations { id type source { id } target { id } } } }`,
    variables: { id: f.entityId },
  }),
  neo4jGraphql: (_f, domain) => ({
    na: `no traversal across relationship types: one field per fact type, direction and target kind (${fieldCount(domain)} here), so depth 2 means every pair of them nested, returning paths rather than the distinct nodes, with no node limit or truncation flag`,
  }),
  floor: {
    variables: (f) => ({ id: f.entityId }),
    // The same bounded breadth-first walk as the service (one statement per level, then one for nodes and
    // facts): each entity adds at most `perEntity` neighbours, PREFERRED facts first, then the most recent,
    // then by id; an entity with more than `hubFacts` facts, other than the centre, is not expanded.
    run: async (cypher, v) => {
      const centre = v.id as string;
      const bounds = { centre, perEntity: NEIGHBORHOOD_EXPANSION.perEntity, hubFacts: NEIGHBORHOOD_EXPANSION.hubFacts };
      const reached = [centre];
      let frontier = [centre];
      let truncated = false;
      for (let level = 1; level <= NEIGHBORHOOD_DEPTH && frontier.length > 0; level += 1) {
        const rows = await cypher(
          `UNWIND $frontier AS frontierId
           MATCH (a:Entity {id: frontierId})
           WITH a, COUNT { (a)--() } > $hubFacts AND a.id <> $centre AS hub
           CALL (a, hub) {
             WITH a WHERE NOT hub
             MATCH (a)-[r]-(b:Entity)
             WHERE NOT b.id IN $reached AND ${NOT_DEPRECATED}
             WITH b, CASE coalesce(r.rank, 'NORMAL') WHEN 'PREFERRED' THEN 0 ELSE 1 END AS rank,
                  coalesce(r.validTo, r.pointInTime, r.validFrom, '') AS latest
             ORDER BY rank, latest DESC, b.id
             WITH b, collect([rank, latest])[0] AS best
             ORDER BY best[0], best[1] DESC, b.id
             RETURN collect(b.id) AS around
           }
           RETURN around[..$perEntity] AS kept, hub OR size(around) > $perEntity AS more`,
          { frontier, reached, ...bounds },
        );
        const next: string[] = [];
        for (const row of rows) {
          if (row.more) truncated = true;
          for (const id of row.kept as string[]) if (!next.includes(id)) next.push(id);
        }
        const room = NEIGHBORHOOD_LIMIT - reached.length;
        if (next.length > room) truncated = true;
        frontier = next.slice(0, room);
        reached.push(...frontier);
      }
      const [row] = await cypher(
        `MATCH (e:Entity) WHERE e.id IN $ids
         WITH collect(e {.id, .name, .kind}) AS nodes
         RETURN nodes, COLLECT {
           MATCH (a:Entity) WHERE a.id IN $ids AND (a.id = $centre OR COUNT { (a)--() } <= $hubFacts)
           MATCH (a)-[r]-(b:Entity) WHERE b.id IN $ids AND ${NOT_DEPRECATED}
           WITH DISTINCT r
           RETURN {id: r.id, type: type(r), source: startNode(r).id, target: endNode(r).id} ORDER BY r.id
         } AS relations`,
        { ids: reached, ...bounds },
      );
      return { truncated, nodes: row?.nodes ?? [], relations: row?.relations ?? [] };
    },
  },
  answer: {
    ours: (d) => ({
      truncated: d.neighborhood.truncated,
      nodes: sortedIds(d.neighborhood.nodes),
      relations: sortedIds(d.neighborhood.relations),
    }),
    neo4jGraphql: () => null,
    floor: (d) => ({ truncated: d.truncated, nodes: sortedIds(d.nodes), relations: sortedIds(d.relations) }),
  },
};

const MAX_HOPS = 4;
const path: Operation = {
  name: 'path',
  title: 'shortest path between two entities (≤ 4 hops)',
  ours: (f) => ({
    query: `query Path($from: ID!, $to: ID!) { path(fromId: $from, toId: $to, maxHops: ${MAX_HOPS}) { length nodes { id name kind } hops { forward relation { id type evidence { quote } } } } }`,
    variables: { from: f.path.from, to: f.path.to },
  }),
  neo4jGraphql: () => ({ na: 'no shortest-path query: the generated API only follows fields one given relationship type at a time' }),
  floor: {
    variables: (f) => ({ from: f.path.from, to: f.path.to, types: [...RELATION_TYPES] }),
    run: async (cypher, v) => {
      const [row] = await cypher(
        `MATCH (a:Entity {id: $from}), (b:Entity {id: $to})
         MATCH p = shortestPath((a)-[*..${MAX_HOPS}]-(b))
         WHERE all(r IN relationships(p) WHERE type(r) IN $types AND ${NOT_DEPRECATED})
         RETURN [n IN nodes(p) | n {.id, .name, .kind}] AS nodes,
                [r IN relationships(p) | {id: r.id, type: type(r), source: startNode(r).id, quotes: r.evidenceQuotes}] AS relations`,
        v,
      );
      return row ? { length: row.relations.length, nodes: row.nodes, relations: row.relations } : null;
    },
  },
  // Several shortest paths may exist; all targets must find one of the same length between the same ends.
  answer: {
    ours: (d) => d.path && { length: d.path.length, from: d.path.nodes[0].id, to: d.path.nodes.at(-1).id },
    neo4jGraphql: () => null,
    floor: (d) => d && { length: d.length, from: d.nodes[0].id, to: d.nodes.at(-1).id },
  },
};

const TIMELINE_FIRST = 20;
const timeline: Operation = {
  name: 'timeline',
  title: "timeline page of an entity's events with totalCount",
  ours: (f) => ({
    query: `query Timeline($id: ID!) { timeline(entityId: $id, first: ${TIMELINE_FIRST}) { totalCount edges { node { id name startDate endDate } } pageInfo { hasNextPage endCursor } } }`,
    variables: { id: f.timelineEntityId },
  }),
  // Linked by any fact, either way: one `some` filter per relationship field of Event. It sorts by the date
  // strings; the service sorts partial dates (2022, 2022-02) by the period they start, so pages are compared as sets.
  neo4jGraphql: (f, domain) => {
    const filters = (domain.get('EVENT') ?? []).map((f) => `{ ${fieldName(f)}: { some: { id: { eq: $id } } } }`);
    return {
      query: `query Timeline($id: ID!) {
  eventsConnection(first: ${TIMELINE_FIRST}, sort: [{ startDate: ASC }, { id: ASC }], where: { OR: [
    ${filters.join(',\n    ')}
  ] }) { totalCount edges { node { id name startDate endDate } } pageInfo { hasNextPage endCursor } }
}`,
      variables: { id: f.timelineEntityId },
    };
  },
  floor: {
    variables: (f) => ({ id: f.timelineEntityId }),
    run: async (cypher, v) => {
      const [row] = await cypher(
        `CALL { MATCH (:Entity {id: $id})--(e:Event) RETURN count(DISTINCT e) AS total }
         CALL {
           MATCH (:Entity {id: $id})--(e:Event) WITH DISTINCT e
           WITH e, coalesce(${periodStart('e.startDate')}, '9999') AS sortKey ORDER BY sortKey, e.id LIMIT $take
           RETURN collect(e {.id, .name, .startDate, .endDate}) AS page
         }
         RETURN total, page`,
        { id: v.id, take: TIMELINE_FIRST + 1 },
      );
      const page = (row?.page ?? []) as { id: string }[];
      return { totalCount: row?.total ?? 0, nodes: page.slice(0, TIMELINE_FIRST), hasNextPage: page.length > TIMELINE_FIRST };
    },
  },
  answer: {
    ours: (d) => ({ total: d.timeline.totalCount, ids: d.timeline.edges.map((e: any) => e.node.id).sort() }),
    neo4jGraphql: (d) => ({ total: d.eventsConnection.totalCount, ids: d.eventsConnection.edges.map((e: any) => e.node.id).sort() }),
    floor: (d) => ({ total: d.totalCount, ids: d.nodes.map((n: any) => n.id).sort() }),
  },
};

const federation: Operation = {
  name: 'entities50',
  title: '_entities with 50 representations',
  ours: (f) => ({
    query: 'query Entities($representations: [_Any!]!) { _entities(representations: $representations) { ... on Entity { id name kind } } }',
    variables: { representations: f.representations },
  }),
  neo4jGraphql: (f) => ({
    query: 'query Entities($representations: [_Any!]!) { _entities(representations: $representations) { ... on Entity { id name kind } } }',
    variables: { representations: f.representations },
  }),
  floor: {
    variables: (f) => {
      const kindByType = new Map(Object.entries(TYPE_NAME_BY_KIND).map(([kind, type]) => [type, kind]));
      return {
        ids: f.representations.map((r) => r.id),
        kinds: f.representations.map((r) => kindByType.get(r.__typename as (typeof TYPE_NAME_BY_KIND)[EntityKind])),
      };
    },
    run: async (cypher, v) => {
      const rows = await cypher(
        `UNWIND range(0, size($ids) - 1) AS i
         OPTIONAL MATCH (e:Entity {id: $ids[i]}) WHERE e.kind = $kinds[i]
         RETURN e {.id, .name, .kind} AS e ORDER BY i`,
        v,
      );
      return rows.map((row) => row.e);
    },
  },
  answer: {
    ours: (d) => d._entities.map((e: any) => e?.id ?? null),
    neo4jGraphql: (d) => d._entities.map((e: any) => e?.id ?? null),
    floor: (d) => d.map((e: any) => e?.id ?? null),
  },
};

export const OPERATIONS: readonly Operation[] = [entity, search, list, nested, neighborhood, path, timeline, federation, lookup];

/** The operations of the scaling curve: id lookup, search and a depth-2 neighborhood. */
export const SCALING_OPERATIONS: readonly Operation[] = [lookup, search, neighborhood];
