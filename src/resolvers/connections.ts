import type { EntityConnectionResolvers, RelationConnectionResolvers } from '../generated/graphql';

export const RelationConnection: RelationConnectionResolvers = {
  totalCount: (connection) => connection.loadTotalCount(),
};

export const EntityConnection: EntityConnectionResolvers = {
  totalCount: (connection) => connection.loadTotalCount(),
};
