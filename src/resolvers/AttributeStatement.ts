import type { AttributeStatementResolvers } from '../generated/graphql';

export const AttributeStatement: AttributeStatementResolvers = {
  value: (statement) => (typeof statement.value === 'string' ? statement.value : JSON.stringify(statement.value)),
  claimedBy: (statement, _args, context) => (statement.claimedById ? context.loaders.entity.load(statement.claimedById) : null),
};
