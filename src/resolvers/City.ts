import type { CityResolvers } from '../generated/graphql';
import { entityFields, resolveEntityReference } from './entityFields';

export const City: CityResolvers = {
  ...entityFields,
  __resolveReference: resolveEntityReference('CITY'),
};
