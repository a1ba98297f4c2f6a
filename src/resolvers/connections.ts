import type { Resolvers } from '../generated/graphql';
import type { ConnectionModel } from '../models/connection';

/** Every connection counts its total lazily, only when a client selects `totalCount`. */
const lazyTotal = { totalCount: (connection: ConnectionModel<unknown>) => connection.loadTotalCount() };

export const connectionResolvers: Pick<
  Resolvers,
  | 'RelationConnection'
  | 'EntityConnection'
  | 'PersonConnection'
  | 'CountryConnection'
  | 'OrganizationConnection'
  | 'RegionConnection'
  | 'ProposalConnection'
  | 'EventConnection'
  | 'DocumentConnection'
  | 'ChangeConnection'
> = {
  RelationConnection: lazyTotal,
  EntityConnection: lazyTotal,
  PersonConnection: lazyTotal,
  CountryConnection: lazyTotal,
  OrganizationConnection: lazyTotal,
  RegionConnection: lazyTotal,
  ProposalConnection: lazyTotal,
  EventConnection: lazyTotal,
  DocumentConnection: lazyTotal,
  ChangeConnection: lazyTotal,
};
