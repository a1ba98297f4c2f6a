import type { FacilityResolvers } from '../generated/graphql';
import { LOCATION, RELATIONS } from '../planner/catalogue';
import { farEnd, relationConnection, resolveEntityReference } from '../planner/load';

export const Facility: FacilityResolvers = {
  __resolveReference: resolveEntityReference('FACILITY'),
  relations: (facility, args, context, info) => relationConnection(context, info, facility, RELATIONS, args),
  location: (facility, _args, context, info) => farEnd(context, info, facility, LOCATION),
};
