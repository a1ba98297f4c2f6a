import type { EntityKind } from '../generated/graphql';

/** What an attribute's value is: it decides how the value is checked, and how it is stored. */
export type AttributeValueType = 'text' | 'integer' | 'share' | 'partialDate' | 'proposalStatus';

export const PROPOSAL_STATUSES = ['PROPOSED', 'UNDER_DISCUSSION', 'PARTIALLY_AGREED', 'OUTSTANDING', 'AGREED', 'REJECTED'] as const;

/**
 * The literal attributes each entity kind may carry. Each is stored twice on the entity: in
 * `attributesJson`, with its provenance, and as a top-level property of the same name that queries read.
 */
export const ATTRIBUTES_BY_KIND = {
  PROPOSAL: { status: 'proposalStatus', agreedShare: 'share', termYears: 'integer', condition: 'text' },
  EVENT: { startDate: 'partialDate', endDate: 'partialDate', eventType: 'text' },
  ORGANIZATION: { reportedSize: 'text', minimumMemberCount: 'integer' },
  GROUP: { reportedSize: 'text', minimumMemberCount: 'integer' },
} as const satisfies Partial<Record<EntityKind, Record<string, AttributeValueType>>>;

/** The type of a kind's attribute, or undefined when the kind has no attribute of that name. */
export function attributeType(kind: EntityKind, name: string): AttributeValueType | undefined {
  const attributes: Record<string, AttributeValueType> =
    (ATTRIBUTES_BY_KIND as Partial<Record<EntityKind, Record<string, AttributeValueType>>>)[kind] ?? {};
  return Object.hasOwn(attributes, name) ? attributes[name] : undefined;
}
