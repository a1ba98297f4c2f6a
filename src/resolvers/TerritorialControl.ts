import type { TerritorialControlResolvers } from '../generated/graphql';
import { precisionOf } from '../models/dates';
import { requiredEntity } from './Relation';

export const TerritorialControl: TerritorialControlResolvers = {
  controller: (control, _args, context) => control.ends?.source ?? requiredEntity(context, control.sourceId),
  share: (control) => control.share,
  asOf: (control) => control.pointInTime ?? control.validFrom,
  precision: (control) => precisionOf(control.pointInTime ?? control.validFrom),
  relation: (control) => control,
};
