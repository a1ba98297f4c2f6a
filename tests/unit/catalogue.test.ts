/**
 * The field catalogue (src/planner/catalogue.ts) says what each field reads. A request reads only the
 * stored properties its operation can select, which is safe only while every field is listed; these
 * tests keep the catalogue complete and the projection right.
 */
import { parse, type GraphQLObjectType } from 'graphql';
import { buildSchema } from '../../src/schema';
import { ENTITY_FIELDS, FACT_FIELDS } from '../../src/planner/catalogue';
import { projectionOf } from '../../src/planner/selection';
import { TYPE_NAME_BY_KIND } from '../../src/models/kinds';

const schema = buildSchema();
const fieldsOf = (name: string) => Object.keys((schema.getType(name) as GraphQLObjectType).getFields());
const unlisted = (types: string[], catalogue: typeof ENTITY_FIELDS) =>
  types.flatMap((type) =>
    fieldsOf(type)
      .filter((field) => !(field in (catalogue[type] ?? {})))
      .map((field) => `${type}.${field}`),
  );

test('every field of every entity type, and of the Entity interface, is in the catalogue', () => {
  expect(unlisted(['Entity', ...Object.values(TYPE_NAME_BY_KIND)], ENTITY_FIELDS)).toEqual([]);
});

test('every field of Relation and TerritorialControl is in the catalogue', () => {
  expect(unlisted(['Relation', 'TerritorialControl'], FACT_FIELDS)).toEqual([]);
});

test('the catalogue lists no field the schema does not have', () => {
  const stale = [...Object.entries(ENTITY_FIELDS), ...Object.entries(FACT_FIELDS)].flatMap(([type, fields]) =>
    Object.keys(fields)
      .filter((field) => field !== '__typename' && !fieldsOf(type).includes(field))
      .map((field) => `${type}.${field}`),
  );
  expect(stale).toEqual([]);
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

test('a field the catalogue does not know reads every property of its object', () => {
  const projection = projectionOf(schema, parse('{ entity(id: "x") { name notAField relations { edges { node { alsoNotAField } } } } }'));
  expect(projection).toEqual({ entity: null, relation: null });
});
