import type { OrganizationResolvers } from '../generated/graphql';
import { RELATIONS } from '../planner/catalogue';
import { relationConnection, resolveEntityReference } from '../planner/load';

export const Organization: OrganizationResolvers = {
  __resolveReference: resolveEntityReference('ORGANIZATION'),
  relations: (entity, args, context, info) => relationConnection(context, info, entity, RELATIONS, args),
};
