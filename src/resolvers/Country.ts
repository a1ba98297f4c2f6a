import type { CountryResolvers } from '../generated/graphql';
import { entityFields, relationFilter, relationsOf, resolveEntityReference } from './entityFields';

export const Country: CountryResolvers = {
  ...entityFields,
  __resolveReference: resolveEntityReference('COUNTRY'),
  leaders: (country, _args, context) => relationsOf(context, country.id, relationFilter(['HOLDS_OFFICE'], 'INCOMING')),
};
