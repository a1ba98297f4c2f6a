import type { PersonResolvers } from '../generated/graphql';
import { entityFields, relationsOf, resolveEntityReference } from './entityFields';
import { OFFICES } from './relationFields';

export const Person: PersonResolvers = {
  ...entityFields,
  __resolveReference: resolveEntityReference('PERSON'),
  offices: (person, _args, context, info) => relationsOf(context, info, person, OFFICES),
};
