/**
 * Picks, from what the database holds, the ids and texts the operations run with: deterministic for a
 * given graph, and sized like a dashboard's requests (an entity page of up to 50 facts, a timeline of a
 * page's worth of events), not the biggest hub nor an empty corner.
 */
import { int } from 'neo4j-driver';
import type { Neo4jClient } from '../src/db/neo4jClient';
import type { EntityKind } from '../src/generated/graphql';
import { TYPE_NAME_BY_KIND } from '../src/models/kinds';
import type { Fixtures } from './operations';

const SEED_SEARCH = { text: 'Zelensky', kind: 'PERSON' as EntityKind };

export async function chooseFixtures(client: Neo4jClient, options: { synthetic: boolean }): Promise<Fixtures> {
  // Entities with an entity page's worth of facts, most connected first.
  const candidates = await client.read<{ id: string; kind: EntityKind }>(
    `MATCH (e:Entity) WITH e, COUNT { (e)--() } AS degree WHERE degree >= 5 AND degree <= 50
     RETURN e.id AS id, e.kind AS kind ORDER BY degree DESC, e.id LIMIT 20`,
  );
  if (candidates.length < 2) throw new Error('the graph has fewer than two entities with 5 to 50 facts');
  const { id: entityId, kind: entityKind } = candidates[0]!;

  // A path target: the next candidate that a path of at most 4 hops reaches.
  let to: string | undefined;
  for (const candidate of candidates.slice(1)) {
    const [row] = await client.read<{ found: boolean }>(
      `MATCH (a:Entity {id: $from}), (b:Entity {id: $to})
       OPTIONAL MATCH p = shortestPath((a)-[*..4]-(b)) WHERE all(r IN relationships(p) WHERE coalesce(r.rank, 'NORMAL') <> 'DEPRECATED')
       RETURN p IS NOT NULL AS found`,
      { from: entityId, to: candidate.id },
    );
    if (row?.found) {
      to = candidate.id;
      break;
    }
  }
  if (to === undefined) throw new Error(`no entity with 5 to 50 facts is within 4 hops of ${entityId}`);

  // A timeline: the entity (not an event) linked to the most events, up to one page of 20.
  const [timeline] = await client.read<{ id: string }>(
    `MATCH (x:Entity) WHERE NOT x:Event
     WITH x, COUNT { MATCH (x)--(ev:Event) RETURN DISTINCT ev } AS events WHERE events >= 2 AND events <= 20
     RETURN x.id AS id ORDER BY events DESC, x.id LIMIT 1`,
  );
  if (!timeline) throw new Error('no entity is linked to 2 to 20 events');

  // Search: a seed name, or at scale the surname of the best-connected synthetic person.
  let search = SEED_SEARCH;
  if (options.synthetic) {
    const [person] = await client.read<{ name: string }>(
      `MATCH (e:Person) WHERE e.id STARTS WITH 'syn-' WITH e ORDER BY COUNT { (e)--() } DESC, e.id LIMIT 1 RETURN e.name AS name`,
    );
    if (!person) throw new Error('no synthetic person to search for');
    search = { text: person.name.split(' ').at(-1)!, kind: 'PERSON' };
  }

  return {
    entityId,
    entityKind,
    search,
    path: { from: entityId, to },
    timelineEntityId: timeline.id,
    representations: await representations(client),
  };
}

/** 50 representations spread over every kind (five of each where there are five), as a gateway batches them. */
async function representations(client: Neo4jClient, count = 50): Promise<Fixtures['representations']> {
  const kinds = Object.keys(TYPE_NAME_BY_KIND) as EntityKind[];
  const perKind = Math.ceil(count / kinds.length);
  const rows = await client.read<{ kind: EntityKind; ids: string[] }>(
    `UNWIND $kinds AS kind
     CALL (kind) {
       MATCH (e:Entity) WHERE e.kind = kind
       WITH e.id AS id ORDER BY id
       WITH collect(id) AS sorted
       RETURN [i IN range(0, $perKind - 1) WHERE i < size(sorted) | sorted[toInteger(i * size(sorted) / $perKind)]] AS ids
     }
     RETURN kind, ids`,
    { kinds, perKind: int(perKind) },
  );
  const lists = rows
    .filter((row) => row.ids.length > 0)
    .map((row) => row.ids.map((id) => ({ __typename: TYPE_NAME_BY_KIND[row.kind], id })));
  const result: Fixtures['representations'] = [];
  // Round-robin over kinds, repeating ids when the graph has fewer than `count` entities.
  for (let i = 0; result.length < count && lists.length > 0; i += 1) {
    const list = lists[i % lists.length]!;
    result.push(list[Math.floor(i / lists.length) % list.length]!);
  }
  return result;
}
