import type { PolicyResolvers } from '../generated/graphql';
import { entityFields, resolveEntityReference } from './entityFields';

export const Policy: PolicyResolvers = {
  ...entityFields,
  __resolveReference: resolveEntityReference('POLICY'),
};
