import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { Kind, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { resolvers } from './resolvers';
import type { Context } from './context';

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
  return buildSubgraphSchema([{ typeDefs: loadTypeDefs(), resolvers: resolverMap }]);
}
