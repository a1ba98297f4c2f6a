import type { CountryResolvers } from '../generated/graphql';
import { entityFields, relationsOf, resolveEntityReference } from './entityFields';
import { LEADERS } from './relationFields';

export const Country: CountryResolvers = {
  ...entityFields,
  __resolveReference: resolveEntityReference('COUNTRY'),
  leaders: (country, _args, context, info) => relationsOf(context, info, country, LEADERS),
};
