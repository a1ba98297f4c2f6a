import type { CityResolvers } from '../generated/graphql';
import { RELATIONS } from '../planner/catalogue';
import { relationConnection, resolveEntityReference } from '../planner/load';

export const City: CityResolvers = {
  __resolveReference: resolveEntityReference('CITY'),
  relations: (entity, args, context, info) => relationConnection(context, info, entity, RELATIONS, args),
};
