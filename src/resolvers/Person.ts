import type { PersonResolvers } from '../generated/graphql';
import { entityFields, relationFilter, relationsOf, resolveEntityReference } from './entityFields';

export const Person: PersonResolvers = {
  ...entityFields,
  __resolveReference: resolveEntityReference('PERSON'),
  offices: (person, _args, context) => relationsOf(context, person.id, relationFilter(['HOLDS_OFFICE', 'REPRESENTS'], 'OUTGOING')),
};
