import { z } from 'zod';
import { EntityKind, Modality, Rank, RelationType } from '../generated/graphql';
import { attributeType, PROPOSAL_STATUSES, type AttributeValueType } from '../models/attributes';
import { isPartialIsoDate } from '../models/dates';

/** The shape of the reviewable files in seed/. Documented in seed/README.md. */

const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a lower-case slug such as "emmanuel-macron"');
const partialDate = z.string().refine(isPartialIsoDate, 'must be a real date written YYYY, YYYY-MM or YYYY-MM-DD');
const unitInterval = z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1');
const enumOf = <T extends Record<string, string>>(values: T) => z.enum(Object.values(values) as [T[keyof T], ...T[keyof T][]]);

export const evidenceSchema = z.object({
  document: slug,
  quote: z.string().min(1),
  confidence: unitInterval,
});

const modality = enumOf(Modality).default('ASSERTED');

export const attributeSchema = z.object({
  name: z.string(),
  value: z.union([z.string(), z.number(), z.boolean()]),
  modality,
  claimedBy: slug.nullish(),
  evidence: z.array(evidenceSchema).min(1, 'needs at least one evidence'),
});

export const entitySchema = z.object({
  id: slug,
  kind: enumOf(EntityKind),
  name: z.string().min(1),
  aliases: z.array(z.string().min(1)).default([]),
  description: z.string().nullish(),
  evidence: z.array(evidenceSchema).min(1, 'needs at least one evidence'),
  attributes: z.array(attributeSchema).default([]),
});

export const relationSchema = z.object({
  id: slug,
  type: enumOf(RelationType),
  source: slug,
  target: slug,
  role: z.string().nullish(),
  share: unitInterval.nullish(),
  approximate: z.boolean().default(false),
  pointInTime: partialDate.nullish(),
  validFrom: partialDate.nullish(),
  validTo: partialDate.nullish(),
  rank: enumOf(Rank).default('NORMAL'),
  modality,
  claimedBy: slug.nullish(),
  evidence: z.array(evidenceSchema).min(1, 'needs at least one evidence'),
});

export const documentSchema = z.object({
  id: slug,
  title: z.string().min(1),
  titleSource: z.enum(['document', 'editorial']).default('document'),
  publisher: z.string().nullable(),
  url: z.string().url().nullable(),
  publishedAt: partialDate.nullable(),
  language: z.string().nullable().default(null),
  textFile: z.string(),
  attribution: z.string().nullable().default(null),
});

export const entitiesFileSchema = z.object({ entities: z.array(z.unknown()) });
export const relationsFileSchema = z.object({ relations: z.array(z.unknown()) });

export type SeedEvidence = z.infer<typeof evidenceSchema>;
export type SeedAttribute = z.infer<typeof attributeSchema>;
export type SeedEntity = z.infer<typeof entitySchema>;
export type SeedRelation = z.infer<typeof relationSchema>;
export type SeedDocument = z.infer<typeof documentSchema> & { text: string };

const attributeValueSchemas: Record<AttributeValueType, z.ZodType> = {
  text: z.string().min(1),
  integer: z.number().int().positive(),
  share: unitInterval,
  partialDate,
  proposalStatus: z.enum(PROPOSAL_STATUSES),
};

/** The schema of an attribute's value, or undefined when the kind has no attribute of that name. */
export function attributeValueSchema(kind: EntityKind, name: string): z.ZodType | undefined {
  const type = attributeType(kind, name);
  return type === undefined ? undefined : attributeValueSchemas[type];
}
