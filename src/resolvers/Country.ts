import type { CountryResolvers } from '../generated/graphql';
import { LEADERS, RELATIONS } from '../planner/catalogue';
import { relationConnection, relationsOf, resolveEntityReference } from '../planner/load';

export const Country: CountryResolvers = {
  __resolveReference: resolveEntityReference('COUNTRY'),
  relations: (country, args, context, info) => relationConnection(context, info, country, RELATIONS, args),
  leaders: (country, _args, context, info) => relationsOf(context, info, country, LEADERS),
};
