import type { ProposalResolvers, ProposalStatus } from '../generated/graphql';
import { entityFields, otherEnds, relationFilter, relationsOf, resolveEntityReference } from './entityFields';

export const Proposal: ProposalResolvers = {
  ...entityFields,
  __resolveReference: resolveEntityReference('PROPOSAL'),
  status: (proposal) => proposal.status as ProposalStatus | null,
  proposedBy: async (proposal, _args, context) =>
    otherEnds(context, proposal.id, await relationsOf(context, proposal.id, relationFilter(['PROPOSES'], 'INCOMING'))),
  stances: (proposal, _args, context) => relationsOf(context, proposal.id, relationFilter(['PROPOSES', 'SUPPORTS', 'REJECTS'], 'INCOMING')),
};
