/**
 * A request reads only the stored properties its operation can select (src/resolvers/selectedProperties.ts).
 * That is safe only while every field is listed with what it reads; these tests keep the lists complete.
 */
import { parse, type GraphQLObjectType } from 'graphql';
import { buildSchema } from '../../src/schema';
import { ENTITY_FIELD_PROPERTIES, projectionOf, RELATION_FIELD_PROPERTIES } from '../../src/resolvers/selectedProperties';
import { RELATION_BACKED_FIELDS } from '../../src/resolvers/relationFields';
import { TYPE_NAME_BY_KIND } from '../../src/models/kinds';

const schema = buildSchema();
const fieldsOf = (name: string) => Object.keys((schema.getType(name) as GraphQLObjectType).getFields());

test('every field of every entity type says which stored properties it reads, or reads a page of facts', () => {
  const unlisted = Object.values(TYPE_NAME_BY_KIND).flatMap((type) =>
    fieldsOf(type)
      .filter((field) => !(field in ENTITY_FIELD_PROPERTIES) && !(field in (RELATION_BACKED_FIELDS[type] ?? {})))
      .map((field) => `${type}.${field}`),
  );
  expect(unlisted).toEqual([]);
});

test('every field of Relation and TerritorialControl says which stored properties it reads', () => {
  const unlisted = ['Relation', 'TerritorialControl'].flatMap((type) =>
    fieldsOf(type)
      .filter((field) => !(field in RELATION_FIELD_PROPERTIES))
      .map((f) => `${type}.${f}`),
  );
  expect(unlisted).toEqual([]);
});

test('an operation reads what it selects anywhere, through fragments, on entities and facts', () => {
  const projection = projectionOf(
    schema,
    parse(`
      query { entity(id: "x") { id name ...Dated relations { edges { node { share source { aliases } target { id } } } } } }
      fragment Dated on Event { precision participants { edges { node { evidence { quote } } } } }
    `),
  );
  expect(projection.entity).toEqual(['aliases', 'endDate', 'evidenceConfidences', 'evidenceDocuments', 'evidenceQuotes', 'startDate']);
  expect(projection.relation).toEqual(['share']);
});

test('a dashboard list of names reads no bulky property', () => {
  expect(projectionOf(schema, parse('{ people(first: 20) { totalCount edges { node { id name } } } }'))).toEqual({
    entity: [],
    relation: [],
  });
});
