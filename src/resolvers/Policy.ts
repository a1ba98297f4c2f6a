import type { PolicyResolvers } from '../generated/graphql';
import { RELATIONS } from '../planner/catalogue';
import { relationConnection, resolveEntityReference } from '../planner/load';

export const Policy: PolicyResolvers = {
  __resolveReference: resolveEntityReference('POLICY'),
  relations: (entity, args, context, info) => relationConnection(context, info, entity, RELATIONS, args),
};
