/**
 * The stored properties an operation can read (see src/data/projection.ts): every field selected anywhere
 * in its document, on an entity type, a fact or a territorial-control figure, mapped to the properties its
 * resolver reads. A field this file does not know reads every property, so a new field is never served
 * from a partial node (tests/unit/selectedProperties.test.ts makes sure each field is listed).
 */
import {
  isInterfaceType,
  isObjectType,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context';
import type { Projection } from '../data/projection';
import { RELATION_BACKED_FIELDS } from './relationFields';

const EVIDENCE = ['evidenceDocuments', 'evidenceQuotes', 'evidenceConfidences'];
const same = (name: string) => [name];

/** Entity fields and the stored properties they read (id, kind and name always come). Relation-backed fields read none. */
export const ENTITY_FIELD_PROPERTIES: Record<string, readonly string[]> = {
  __typename: [],
  id: [],
  kind: [],
  name: [],
  aliases: same('aliases'),
  description: same('description'),
  evidence: EVIDENCE,
  attributes: same('attributesJson'),
  agreedShare: same('agreedShare'),
  termYears: same('termYears'),
  condition: same('condition'),
  status: same('status'),
  eventType: same('eventType'),
  startDate: same('startDate'),
  endDate: same('endDate'),
  precision: ['startDate', 'endDate'],
  reportedSize: same('reportedSize'),
  minimumMemberCount: same('minimumMemberCount'),
};

const DATED = ['pointInTime', 'validFrom', 'validTo'];

/** Fact fields (on `Relation`, and on `TerritorialControl`, which shows a CONTROLS fact) and what they read. */
export const RELATION_FIELD_PROPERTIES: Record<string, readonly string[]> = {
  __typename: [],
  id: [],
  type: [],
  source: [],
  target: [],
  role: same('role'),
  share: same('share'),
  approximate: same('approximate'),
  pointInTime: same('pointInTime'),
  validFrom: same('validFrom'),
  validTo: same('validTo'),
  precision: DATED,
  rank: same('rank'),
  modality: same('modality'),
  claimedBy: same('claimedBy'),
  evidence: EVIDENCE,
  // TerritorialControl
  controller: [],
  asOf: DATED,
  relation: [],
};

const FACT_TYPES = new Set(['Relation', 'TerritorialControl']);

function isEntityType(type: GraphQLNamedType): boolean {
  if (type.name === 'Entity' && isInterfaceType(type)) return true;
  return isObjectType(type) && type.getInterfaces().some((i) => i.name === 'Entity');
}

/** Adds what `field` reads to `into`; false when the field is unknown (read everything). */
function addProperties(into: Set<string>, table: Record<string, readonly string[]>, field: string): boolean {
  const read = table[field];
  if (read === undefined) return false;
  read.forEach((property) => into.add(property));
  return true;
}

/** The projection for every operation in a document (a union, so any operation of it is covered). */
export function projectionOf(schema: GraphQLSchema, document: DocumentNode): Projection {
  const entity = new Set<string>();
  const relation = new Set<string>();
  let allEntity = false;
  let allRelation = false;
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        const name = node.name.value;
        if (!parent) return;
        if (isEntityType(parent)) {
          // An interface field is relation-backed when it is so on every entity type.
          const relationBacked = isInterfaceType(parent)
            ? Object.values(RELATION_BACKED_FIELDS).every((fields) => name in fields)
            : name in (RELATION_BACKED_FIELDS[parent.name] ?? {});
          if (!relationBacked && !addProperties(entity, ENTITY_FIELD_PROPERTIES, name)) allEntity = true;
        } else if (FACT_TYPES.has(parent.name) && !addProperties(relation, RELATION_FIELD_PROPERTIES, name)) {
          allRelation = true;
        }
      },
    }),
  );
  return { entity: allEntity ? null : [...entity].sort(), relation: allRelation ? null : [...relation].sort() };
}

/**
 * Sets each request's projection once its operation is known. Apollo keeps parsed documents in a cache
 * and hands the same object to repeated requests, so a document is analysed once.
 */
export function projectionPlugin(): ApolloServerPlugin<Context> {
  const known = new WeakMap<DocumentNode, Projection>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, schema, contextValue }) {
          if (!contextValue.lookahead.enabled) return;
          let projection = known.get(document);
          if (!projection) {
            projection = projectionOf(schema, document);
            known.set(document, projection);
          }
          contextValue.db.projection = projection;
        },
      };
    },
  };
}
