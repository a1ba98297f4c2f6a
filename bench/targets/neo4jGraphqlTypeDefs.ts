/**
 * Type definitions for @neo4j/graphql 7 over the same graph as this service: the same labels
 * (`:Entity:<Kind>`, see TYPE_NAME_BY_KIND), properties, relationship types (RelationType in
 * schema/relations.graphql) and relationship properties. Written by hand from the data model, the way a
 * team pointing @neo4j/graphql at this database would write them.
 *
 * @neo4j/graphql maps a relationship type, a direction and a target type to one field, e.g.
 * `participatesInOutEvent` on Person. Each entity type gets the fields of the facts its kind takes part in
 * (the RelationDomain: the kind triples of the seed graph and of the synthetic generator), with concrete
 * target types. Two more literal modellings were tried first and dropped (see bench/README.md):
 * - every fact type in both directions on every type, targets the Entity interface (our SDL allows any
 *   fact on any kind): 30 s and 2 GB of heap to build the schema; declaring the fields on the interface
 *   too ran out of a 4 GB heap;
 * - the domain's fact types with the Entity interface as target: a field on an interface target becomes a
 *   UNION over the ten entity labels, and the entity-page query (1,280 UNION branches) kept Neo4j's
 *   planner busy for minutes.
 * Mutations are off, nested operations and aggregations left out: the benchmark only reads.
 */
import { RelationType } from '../../src/generated/graphql';
import { TYPE_NAME_BY_KIND } from '../../src/models/kinds';

export const RELATION_TYPE_LIST: readonly RelationType[] = Object.values(RelationType);

/** `PARTICIPATES_IN` → `participatesIn`. */
export function camel(type: string): string {
  return type.toLowerCase().replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

type Kind = keyof typeof TYPE_NAME_BY_KIND;

/** One relationship field: the fact type, which way it points from the entity, and the kind at the other end. */
export interface RelationField {
  type: RelationType;
  direction: 'OUT' | 'IN';
  other: Kind;
}

/** `participatesInOutEvent`: PARTICIPATES_IN facts from this entity to an Event. */
export function fieldName(field: RelationField): string {
  return `${camel(field.type)}${field.direction === 'OUT' ? 'Out' : 'In'}${TYPE_NAME_BY_KIND[field.other]}`;
}

const ENTITY_FIELDS = `
  id: ID!
  kind: String!
  name: String!
  aliases: [String!]
  description: String
  evidenceDocuments: [String!]
  evidenceQuotes: [String!]
  evidenceConfidences: [Float!]
  attributesJson: String`;

const KIND_FIELDS: Partial<Record<Kind, string>> = {
  EVENT: `
  eventType: String
  startDate: String
  endDate: String`,
  PROPOSAL: `
  agreedShare: Float
  termYears: Int
  condition: String
  status: String`,
  ORGANIZATION: `
  reportedSize: String
  minimumMemberCount: Int`,
  GROUP: `
  reportedSize: String
  minimumMemberCount: Int`,
};

/** The relationship fields of each entity kind. */
export type RelationDomain = Map<Kind, RelationField[]>;

function relationshipFields(fields: RelationField[]): string {
  const common = `properties: "Fact", nestedOperations: [], aggregate: false`;
  return fields
    .map(
      (f) => `  ${fieldName(f)}: [${TYPE_NAME_BY_KIND[f.other]}!]! @relationship(type: "${f.type}", direction: ${f.direction}, ${common})`,
    )
    .join('\n');
}

/** The full-text query of one kind: `peopleSearch`, `eventsSearch`, ... over the service's `entity_search` index. */
export function searchQueryName(kind: Kind): string {
  return `${TYPE_NAME_BY_KIND[kind].charAt(0).toLowerCase()}${TYPE_NAME_BY_KIND[kind].slice(1)}Search`;
}

export function neo4jGraphqlTypeDefs(domain: RelationDomain): string {
  const types = (Object.entries(TYPE_NAME_BY_KIND) as [Kind, string][]).map(
    ([kind, typeName]) => `
type ${typeName} implements Entity
  @node(labels: ["${typeName}", "Entity"])
  @key(fields: "id")
  @mutation(operations: [])
  @fulltext(indexes: [{ indexName: "entity_search", queryName: "${searchQueryName(kind)}", fields: ["name", "description"] }]) {${ENTITY_FIELDS}${KIND_FIELDS[kind] ?? ''}
${relationshipFields(domain.get(kind) ?? [])}
}`,
  );
  return `extend schema @link(url: "https://specs.apollo.dev/federation/v2.0", import: ["@key"])

type Fact @relationshipProperties {
  id: ID!
  role: String
  share: Float
  approximate: Boolean
  pointInTime: String
  validFrom: String
  validTo: String
  rank: String
  modality: String
  claimedBy: String
  evidenceDocuments: [String!]
  evidenceQuotes: [String!]
  evidenceConfidences: [Float!]
}

interface Entity {${ENTITY_FIELDS}
}
${types.join('\n')}
`;
}

export interface KindPair {
  source: Kind;
  type: RelationType;
  target: Kind;
}

/** The relationship fields of each kind, from the (source kind, fact type, target kind) triples the data can hold. */
export function relationDomain(pairs: Iterable<KindPair>): RelationDomain {
  const domain: RelationDomain = new Map();
  const add = (kind: Kind, field: RelationField) => {
    const fields = domain.get(kind) ?? [];
    if (!fields.some((f) => fieldName(f) === fieldName(field))) fields.push(field);
    domain.set(kind, fields);
  };
  for (const pair of pairs) {
    add(pair.source, { type: pair.type, direction: 'OUT', other: pair.target });
    add(pair.target, { type: pair.type, direction: 'IN', other: pair.source });
  }
  for (const fields of domain.values()) fields.sort((a, b) => fieldName(a).localeCompare(fieldName(b)));
  return domain;
}

/** Number of relationship fields over all kinds. */
export function fieldCount(domain: RelationDomain): number {
  return [...domain.values()].reduce((sum, fields) => sum + fields.length, 0);
}
