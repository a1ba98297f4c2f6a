import type { EntityKind } from '../generated/graphql';

/** The GraphQL type, and the Neo4j label, of each entity kind. Labels in Cypher come from this list only. */
export const TYPE_NAME_BY_KIND = {
  PERSON: 'Person',
  COUNTRY: 'Country',
  ORGANIZATION: 'Organization',
  GROUP: 'Group',
  REGION: 'Region',
  CITY: 'City',
  FACILITY: 'Facility',
  PROPOSAL: 'Proposal',
  POLICY: 'Policy',
  EVENT: 'Event',
} as const satisfies Record<EntityKind, string>;
