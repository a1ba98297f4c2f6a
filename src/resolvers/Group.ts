import type { GroupResolvers } from '../generated/graphql';
import { entityFields, resolveEntityReference } from './entityFields';

export const Group: GroupResolvers = {
  ...entityFields,
  __resolveReference: resolveEntityReference('GROUP'),
};
