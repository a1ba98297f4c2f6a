import type { PersonResolvers } from '../generated/graphql';
import { OFFICES, RELATIONS } from '../planner/catalogue';
import { relationConnection, relationsOf, resolveEntityReference } from '../planner/load';

export const Person: PersonResolvers = {
  __resolveReference: resolveEntityReference('PERSON'),
  relations: (person, args, context, info) => relationConnection(context, info, person, RELATIONS, args),
  offices: (person, _args, context, info) => relationsOf(context, info, person, OFFICES),
};
