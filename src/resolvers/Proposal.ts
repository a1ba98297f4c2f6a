import type { ProposalResolvers, ProposalStatus } from '../generated/graphql';
import { PROPOSED_BY, RELATIONS, STANCES } from '../planner/catalogue';
import { farEnds, relationConnection, relationsOf, resolveEntityReference } from '../planner/load';

export const Proposal: ProposalResolvers = {
  __resolveReference: resolveEntityReference('PROPOSAL'),
  relations: (proposal, args, context, info) => relationConnection(context, info, proposal, RELATIONS, args),
  status: (proposal) => proposal.status as ProposalStatus | null,
  proposedBy: (proposal, _args, context, info) => farEnds(context, info, proposal, PROPOSED_BY),
  stances: (proposal, _args, context, info) => relationsOf(context, info, proposal, STANCES),
};
