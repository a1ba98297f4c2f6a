import type { OrganizationResolvers } from '../generated/graphql';
import { entityFields, resolveEntityReference } from './entityFields';

export const Organization: OrganizationResolvers = {
  ...entityFields,
  __resolveReference: resolveEntityReference('ORGANIZATION'),
};
