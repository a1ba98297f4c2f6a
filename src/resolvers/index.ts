import type { Resolvers } from '../generated/graphql';
import { AttributeStatement } from './AttributeStatement';
import { City } from './City';
import { connectionResolvers } from './connections';
import { Country } from './Country';
import { Change } from './Change';
import { DateScalar } from './Date';
import { DateTimeScalar } from './DateTime';
import { EntityMention } from './EntityMention';
import { Mutation } from './Mutation';
import { Document } from './Document';
import { Entity } from './Entity';
import { Event } from './Event';
import { Evidence } from './Evidence';
import { Facility } from './Facility';
import { Group } from './Group';
import { Organization } from './Organization';
import { Path, PathHop } from './Path';
import { Person } from './Person';
import { Policy } from './Policy';
import { Proposal } from './Proposal';
import { Query } from './Query';
import { Region } from './Region';
import { Relation } from './Relation';
import { TerritorialControl } from './TerritorialControl';

export const resolvers: Resolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  Query,
  Mutation,
  Change,
  EntityMention,
  Entity,
  Person,
  Country,
  Organization,
  Group,
  Region,
  City,
  Facility,
  Proposal,
  Policy,
  Event,
  Relation,
  TerritorialControl,
  AttributeStatement,
  Evidence,
  Document,
  Path,
  PathHop,
  ...connectionResolvers,
};
