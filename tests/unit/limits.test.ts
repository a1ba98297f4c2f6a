/**
 * Sandbox users read the limits in the SDL's descriptions; the service enforces them from src/limits.ts.
 * These tests keep the two saying the same thing.
 */
import {
  getNamedType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLType,
} from 'graphql';
import { buildSchema } from '../../src/schema';
import { ARGUMENT_RANGES, DERIVED_FIELD_ITEMS, NEIGHBORHOOD_EXPANSION, PAGE_SIZE, SUBSCRIPTIONS, type IntRange } from '../../src/limits';
import { ENTITY_FIELDS } from '../../src/planner/catalogue';

const schema = buildSchema();

const isInt = (type: GraphQLType) => getNamedType(type).name === 'Int' && !isListType(isNonNullType(type) ? type.ofType : type);
const returnsConnection = (field: GraphQLField<unknown, unknown>) => getNamedType(field.type).name.endsWith('Connection');

/** Every Int argument of every field of every object type, with the range the code applies to it. */
function intArguments(): { coordinate: string; arg: GraphQLArgument; range: IntRange | undefined }[] {
  return Object.values(schema.getTypeMap())
    .filter((type) => isObjectType(type) && !type.name.startsWith('__'))
    .flatMap((type) =>
      Object.values((type as GraphQLObjectType).getFields()).flatMap((field) =>
        field.args
          .filter((arg) => isInt(arg.type))
          .map((arg) => {
            const coordinate = `${type.name}.${field.name}(${arg.name})`;
            const range = ARGUMENT_RANGES[coordinate] ?? (arg.name === 'first' && returnsConnection(field) ? PAGE_SIZE : undefined);
            return { coordinate, arg, range };
          }),
      ),
    );
}

/** The "N to M" range a description states, thousands separators allowed. */
function statedRange(description: string | null | undefined): { min: number; max: number } | null {
  const match = /(\d[\d,]*) to (\d[\d,]*)/.exec(description ?? '');
  return match ? { min: Number(match[1]!.replace(/,/g, '')), max: Number(match[2]!.replace(/,/g, '')) } : null;
}

test('every Int argument has a range in src/limits.ts', () => {
  const arguments_ = intArguments();
  expect(arguments_.length).toBeGreaterThan(20);
  expect(arguments_.filter((a) => a.range === undefined).map((a) => a.coordinate)).toEqual([]);
});

test("each Int argument's description states the range the code enforces, and its default is the code's", () => {
  const disagreements = intArguments().flatMap(({ coordinate, arg, range }) => {
    if (!range) return [];
    const stated = statedRange(arg.description);
    const problems: string[] = [];
    if (!stated || stated.min !== range.min || stated.max !== range.max) {
      problems.push(
        `${coordinate}: description says ${stated ? `${stated.min} to ${stated.max}` : 'no range'}, code allows ${range.min} to ${range.max}`,
      );
    }
    if (arg.defaultValue !== range.default)
      problems.push(`${coordinate}: default ${String(arg.defaultValue)} in the SDL, ${range.default} in the code`);
    return problems;
  });
  expect(disagreements).toEqual([]);
});

test('every unpaginated relation-backed field states the most items it returns', () => {
  const unstated = Object.entries(ENTITY_FIELDS)
    .filter(([typeName]) => typeName !== 'Entity')
    .flatMap(([typeName, fields]) =>
      Object.entries(fields)
        .filter(([, reads]) => 'page' in reads && reads.page.totalCount === null)
        .filter(([name]) => {
          const type = schema.getType(typeName);
          const field = isObjectType(type) ? type.getFields()[name] : undefined;
          // A single far end (`location`) returns one item, so it states no bound.
          if (!field || !isListType(isNonNullType(field.type) ? field.type.ofType : field.type)) return false;
          return !field.description?.includes(`at most ${DERIVED_FIELD_ITEMS}`);
        })
        .map(([name]) => `${typeName}.${name}`),
    );
  expect(unstated).toEqual([]);
});

test('the subscription states the bounds src/limits.ts puts on it', () => {
  const subscription = schema.getSubscriptionType()!;
  const field = subscription.getFields().changeAdded!;
  const n = (value: number) => value.toLocaleString('en');
  expect(subscription.description).toContain(
    `At most ${n(SUBSCRIPTIONS.perConnection)} subscriptions per connection and ${n(SUBSCRIPTIONS.total)} across the\nservice at once`,
  );
  expect(subscription.description).toContain(`a client message may be at most ${n(SUBSCRIPTIONS.messageBytes)} bytes`);
  expect(field.description).toContain(`falls more than ${n(SUBSCRIPTIONS.backlog)} changes behind`);
  expect(field.description).toContain(`Past ${n(SUBSCRIPTIONS.perConnection)} subscriptions on one connection`);
  expect(field.description).toContain(`past ${n(SUBSCRIPTIONS.total)} on the service`);
});

test("neighborhood's descriptions state the expansion bounds the code applies", () => {
  const query = schema.getQueryType()!.getFields();
  const subgraph = schema.getType('Subgraph') as GraphQLObjectType;
  const perEntity = `at most ${NEIGHBORHOOD_EXPANSION.perEntity} neighbours`;
  const hub = `more than ${NEIGHBORHOOD_EXPANSION.hubFacts.toLocaleString('en-US')} facts`;
  expect(query.neighborhood!.description).toContain(perEntity);
  expect(query.neighborhood!.description).toContain(hub);
  expect(subgraph.getFields().truncated!.description).toContain(`more than ${NEIGHBORHOOD_EXPANSION.perEntity}`);
  expect(subgraph.getFields().relations!.description).toContain(hub);
});
