import type { ProposalResolvers, ProposalStatus } from '../generated/graphql';
import { entityFields, farEnds, relationsOf, resolveEntityReference } from './entityFields';
import { PROPOSED_BY, STANCES } from './relationFields';

export const Proposal: ProposalResolvers = {
  ...entityFields,
  __resolveReference: resolveEntityReference('PROPOSAL'),
  status: (proposal) => proposal.status as ProposalStatus | null,
  proposedBy: (proposal, _args, context, info) => farEnds(context, info, proposal, PROPOSED_BY),
  stances: (proposal, _args, context, info) => relationsOf(context, info, proposal, STANCES),
};
