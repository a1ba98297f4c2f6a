import type { GroupResolvers } from '../generated/graphql';
import { RELATIONS } from '../planner/catalogue';
import { relationConnection, resolveEntityReference } from '../planner/load';

export const Group: GroupResolvers = {
  __resolveReference: resolveEntityReference('GROUP'),
  relations: (entity, args, context, info) => relationConnection(context, info, entity, RELATIONS, args),
};
