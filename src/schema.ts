import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { isUnionType, Kind, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { resolvers } from './resolvers';
import type { Context } from './context';
import { badUserInput } from './errors';

export const SCHEMA_DIR = path.resolve(__dirname, '..', 'schema');

/** The SDL of every domain file in schema/, as one document in a stable order. */
export function loadTypeDefs(dir = SCHEMA_DIR): DocumentNode {
  const documents = readdirSync(dir)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => parse(readFileSync(path.join(dir, file), 'utf8')));
  return { kind: Kind.DOCUMENT, definitions: documents.flatMap((document) => document.definitions) };
}

/** The Federation 2 subgraph schema: SDL from schema/, resolvers typed by the generated `Resolvers`. */
export function buildSchema(): GraphQLSchema {
  // The generated Resolvers type is stricter than the federation helper's loose map; the shapes agree.
  const resolverMap = resolvers as unknown as GraphQLResolverMap<Context>;
  return checkRepresentations(buildSubgraphSchema([{ typeDefs: loadTypeDefs(), resolvers: resolverMap }]));
}

/**
 * `_entities` takes its representations as `_Any`, raw JSON the schema does not check. The federation
 * library throws a plain error on one it cannot place, which clients would see as INTERNAL_SERVER_ERROR:
 * here a representation that is not `{ __typename: <an entity type>, id: <string> }` gets a BAD_USER_INPUT
 * at its own position, and the others resolve as usual.
 */
function checkRepresentations(schema: GraphQLSchema): GraphQLSchema {
  const field = schema.getQueryType()?.getFields()._entities;
  const entityUnion = schema.getType('_Entity');
  if (!field?.resolve || !isUnionType(entityUnion)) return schema;
  const entityTypes = new Set(entityUnion.getTypes().map((type) => type.name));
  const problemOf = (representation: unknown, index: number) => {
    const { __typename: typename, id } = (representation ?? {}) as { __typename?: unknown; id?: unknown };
    if (typeof representation !== 'object' || representation === null || typeof typename !== 'string' || !entityTypes.has(typename)) {
      return badUserInput(
        `Representation ${index} must be an object whose __typename is an entity type of this subgraph.`,
        'representations',
      );
    }
    return typeof id === 'string' ? null : badUserInput(`Representation ${index} (${typename}) must have a string id.`, 'representations');
  };
  const resolve = field.resolve;
  field.resolve = async (source, args: { representations?: unknown }, context, info) => {
    const representations: unknown[] = Array.isArray(args.representations) ? args.representations : [];
    const problems = representations.map(problemOf);
    const valid = representations.filter((_, i) => problems[i] === null);
    const resolved = (await resolve(source, { ...args, representations: valid }, context, info)) as unknown[];
    // graphql-js reports an Error in a list at that item's path, and resolves the rest.
    let next = 0;
    return problems.map((problem) => problem ?? resolved[next++]);
  };
  return schema;
}
