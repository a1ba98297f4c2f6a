/** The plan: how many entities of each kind, how many facts of each kind of fact, and which entities each covers. */
import type { EntityKind, RelationType } from '../../generated/graphql';
import { TYPE_NAME_BY_KIND } from '../../models/kinds';
import type { RelationModel } from '../../models/relation';
import { laterDate, partialDate, pct } from './names';
import type { Rng } from './random';

export const DEFAULT_BATCH_SIZE = 10_000;
/** Each relation document holds the sentences (the evidence quotes) of this many consecutive relations. */
export const RELATIONS_PER_DOCUMENT = 2_000;
/** Each register document holds the one-sentence profiles of this many consecutive entities. */
export const ENTITIES_PER_DOCUMENT = 2_000;
export const MIN_ENTITIES = 100;

export interface SyntheticOptions {
  entities: number;
  relations: number;
  /** PRNG seed; the same seed and sizes always give the same graph. Default 1. */
  seed?: number;
  /** Rows per write transaction. Does not change the graph. Default 10,000. */
  batchSize?: number;
}

/** Shares of the entities that are not countries (countries: 1% of entities, between 5 and 200). */
const KIND_SHARES: readonly [EntityKind, number][] = [
  ['PERSON', 0.36],
  ['EVENT', 0.28],
  ['ORGANIZATION', 0.11],
  ['CITY', 0.07],
  ['GROUP', 0.04],
  ['FACILITY', 0.04],
  ['PROPOSAL', 0.04],
  ['REGION', 0.03],
  ['POLICY', 0.03],
];

type KindWeights = Partial<Record<EntityKind, number>>;

export type Qualifiers = Pick<RelationModel, 'role' | 'share' | 'approximate' | 'pointInTime' | 'validFrom' | 'validTo'>;

/** One way a fact type links kinds; a type may have several (LOCATED_IN: event → place, facility → place, ...). */
export interface RelationVariant {
  type: RelationType;
  /** Relative share of all facts. */
  weight: number;
  source: KindWeights;
  target: KindWeights;
  /** Symmetric types never get both A→B and B→A. */
  symmetric?: boolean;
  qualify?: (rng: Rng) => Partial<Qualifiers>;
  /** The clause that states the fact; `s` and `t` are the entities' names as a sentence would use them. */
  clause: (s: string, t: string, q: Qualifiers) => string;
}

const ACTORS: KindWeights = { PERSON: 2, COUNTRY: 2, ORGANIZATION: 1, GROUP: 1 };
const OFFICES = [
  'President',
  'Prime Minister',
  'Foreign Minister',
  'Defence Minister',
  'Ambassador',
  'Secretary General',
  'Envoy',
  'Governor',
  'Spokesperson',
  'Chair',
];
const KINSHIPS = ['son', 'daughter', 'spouse', 'sibling', 'son-in-law', 'cousin', 'parent'];
const ENVOY_ROLES = ['mediator', 'envoy', 'negotiator', 'observer'];
const PARTICIPANT_ROLES = ['delegate', 'host', 'mediator', 'observer', 'guarantor'];
const SEEK_ROLES = ['key concern', 'priority', 'long-term goal'];

function timeSpan(rng: Rng, pFrom: number, pTo: number, pPoint: number): Partial<Qualifiers> {
  const x = rng.next();
  if (x < pFrom) {
    const validFrom = partialDate(rng);
    return { validFrom, validTo: rng.chance(pTo / pFrom) ? laterDate(rng, validFrom) : null };
  }
  if (x < pFrom + pPoint) return { pointInTime: partialDate(rng) };
  return {};
}

const withRole = (rng: Rng, p: number, roles: readonly string[]) => (rng.chance(p) ? { role: rng.pick(roles) } : {});

export const RELATION_VARIANTS: readonly RelationVariant[] = [
  {
    type: 'HOLDS_OFFICE',
    weight: 8,
    source: { PERSON: 1 },
    target: { COUNTRY: 2, ORGANIZATION: 1 },
    qualify: (rng) => ({ role: rng.pick(OFFICES), ...timeSpan(rng, 0.7, 0.35, 0) }),
    clause: (s, t, q) => `${s} holds office as ${q.role} of ${t}`,
  },
  {
    type: 'RELATIVE_OF',
    weight: 1.5,
    source: { PERSON: 1 },
    target: { PERSON: 1 },
    qualify: (rng) => ({ role: rng.pick(KINSHIPS) }),
    clause: (s, t, q) => `${s} is the ${q.role} of ${t}`,
  },
  {
    type: 'REPRESENTS',
    weight: 3,
    source: { PERSON: 1 },
    target: { COUNTRY: 2, ORGANIZATION: 1 },
    qualify: (rng) => ({ role: rng.pick(ENVOY_ROLES), ...timeSpan(rng, 0.3, 0.1, 0.2) }),
    clause: (s, t, q) => `${s} acts as ${q.role} for ${t}`,
  },
  { type: 'MEDIATES', weight: 1, source: { PERSON: 1 }, target: { EVENT: 1 }, clause: (s, t) => `${s} mediates ${t}` },
  {
    type: 'ALLY_OF',
    weight: 2,
    source: { COUNTRY: 2, ORGANIZATION: 1, GROUP: 1 },
    target: { COUNTRY: 1 },
    qualify: (rng) => timeSpan(rng, 0.3, 0.1, 0),
    clause: (s, t) => `${s} is an ally of ${t}`,
  },
  {
    type: 'MEMBER_OF',
    weight: 7,
    source: { PERSON: 2, COUNTRY: 1, ORGANIZATION: 1 },
    target: { ORGANIZATION: 2, GROUP: 1 },
    qualify: (rng) => timeSpan(rng, 0.4, 0.1, 0),
    clause: (s, t) => `${s} is a member of ${t}`,
  },
  { type: 'HOSTS', weight: 3, source: { COUNTRY: 2, CITY: 2, ORGANIZATION: 1 }, target: { EVENT: 1 }, clause: (s, t) => `${s} hosts ${t}` },
  {
    type: 'PARTICIPATES_IN',
    weight: 24,
    source: { PERSON: 3, COUNTRY: 2, ORGANIZATION: 1, GROUP: 1 },
    target: { EVENT: 1 },
    qualify: (rng) => ({ ...withRole(rng, 0.3, PARTICIPANT_ROLES), ...timeSpan(rng, 0, 0, 0.3) }),
    clause: (s, t, q) => `${s} takes part in ${t}${q.role ? ` as ${q.role}` : ''}`,
  },
  {
    type: 'LOCATED_IN',
    weight: 7,
    source: { EVENT: 1 },
    target: { CITY: 2, REGION: 1, COUNTRY: 2 },
    clause: (s, t) => `${s} takes place in ${t}`,
  },
  {
    type: 'LOCATED_IN',
    weight: 2,
    source: { FACILITY: 1, CITY: 1 },
    target: { REGION: 1, COUNTRY: 2 },
    clause: (s, t) => `${s} is located in ${t}`,
  },
  { type: 'LOCATED_IN', weight: 1, source: { REGION: 1 }, target: { COUNTRY: 1 }, clause: (s, t) => `${s} lies in ${t}` },
  { type: 'PART_OF', weight: 2, source: { REGION: 1 }, target: { REGION: 1, COUNTRY: 3 }, clause: (s, t) => `${s} is part of ${t}` },
  {
    type: 'PART_OF',
    weight: 0.5,
    source: { PROPOSAL: 1 },
    target: { PROPOSAL: 1 },
    qualify: (rng) => ({ share: Math.round((0.05 + rng.next() * 0.6) * 100) / 100 }),
    clause: (s, t, q) => `${s} makes up ${pct(q.share ?? 0)} of ${t}`,
  },
  { type: 'BORDERS', weight: 0.7, source: { REGION: 1 }, target: { REGION: 1 }, symmetric: true, clause: (s, t) => `${s} borders ${t}` },
  { type: 'BORDERS', weight: 0.5, source: { COUNTRY: 1 }, target: { COUNTRY: 1 }, symmetric: true, clause: (s, t) => `${s} borders ${t}` },
  {
    type: 'CONTROLS',
    weight: 2,
    source: { COUNTRY: 3, GROUP: 1 },
    target: { REGION: 1 },
    qualify: (rng) => {
      const approximate = rng.chance(0.4);
      const share = approximate ? (Math.round(1 + rng.below(19)) * 5) / 100 : Math.round((0.01 + rng.next() * 0.99) * 100) / 100;
      return { share, approximate, ...timeSpan(rng, 0.5, 0.2, 0.3) };
    },
    clause: (s, t, q) => `${s} controls ${q.approximate ? 'about ' : ''}${pct(q.share ?? 0)} of ${t}`,
  },
  {
    type: 'PROPOSES',
    weight: 2,
    source: { PERSON: 2, COUNTRY: 2, ORGANIZATION: 1 },
    target: { PROPOSAL: 1 },
    qualify: (rng) => timeSpan(rng, 0, 0, 0.4),
    clause: (s, t) => `${s} puts forward ${t}`,
  },
  { type: 'SUPPORTS', weight: 3, source: ACTORS, target: { PROPOSAL: 2, POLICY: 1 }, clause: (s, t) => `${s} supports ${t}` },
  {
    type: 'REJECTS',
    weight: 1.5,
    source: ACTORS,
    target: { PROPOSAL: 2, POLICY: 1 },
    qualify: (rng) => timeSpan(rng, 0, 0, 0.3),
    clause: (s, t) => `${s} rejects ${t}`,
  },
  {
    type: 'PRESENTED_TO',
    weight: 1,
    source: { PROPOSAL: 1 },
    target: { PERSON: 1, COUNTRY: 2, ORGANIZATION: 1 },
    qualify: (rng) => timeSpan(rng, 0, 0, 0.4),
    clause: (s, t) => `${s} was presented to ${t}`,
  },
  {
    type: 'NOT_PRESENTED_TO',
    weight: 0.3,
    source: { PROPOSAL: 1 },
    target: { PERSON: 1, COUNTRY: 2, ORGANIZATION: 1 },
    clause: (s, t) => `${s} has not yet been presented to ${t}`,
  },
  {
    type: 'URGED_TO_ACCEPT',
    weight: 0.5,
    source: { PERSON: 1, COUNTRY: 2 },
    target: { PROPOSAL: 1 },
    clause: (s, t) => `${s} is being urged to accept ${t}`,
  },
  {
    type: 'BENEFITS',
    weight: 0.5,
    source: { PROPOSAL: 1 },
    target: { COUNTRY: 2, GROUP: 1, ORGANIZATION: 1 },
    clause: (s, t) => `${s} would benefit ${t}`,
  },
  {
    type: 'DIRECTED_AGAINST',
    weight: 0.3,
    source: { PROPOSAL: 1 },
    target: { COUNTRY: 2, GROUP: 1 },
    clause: (s, t) => `${s} is meant to protect against ${t}`,
  },
  { type: 'DISCUSSES', weight: 3, source: { EVENT: 1 }, target: { PROPOSAL: 2, POLICY: 1 }, clause: (s, t) => `${s} discusses ${t}` },
  {
    type: 'SEEKS',
    weight: 1,
    source: ACTORS,
    target: { PROPOSAL: 2, POLICY: 1 },
    qualify: (rng) => withRole(rng, 0.4, SEEK_ROLES),
    clause: (s, t, q) => `${s} seeks ${t}${q.role ? ` as a ${q.role}` : ''}`,
  },
  {
    type: 'REQUESTED_FROM',
    weight: 0.5,
    source: { PROPOSAL: 1 },
    target: { COUNTRY: 2, ORGANIZATION: 1 },
    clause: (s, t) => `${s} asks ${t} to commit to it`,
  },
  {
    type: 'CARRIED_OUT',
    weight: 3,
    source: { COUNTRY: 2, GROUP: 2, ORGANIZATION: 1 },
    target: { EVENT: 1 },
    qualify: (rng) => timeSpan(rng, 0, 0, 0.4),
    clause: (s, t) => `${s} carried out ${t}`,
  },
  {
    type: 'TARGETS',
    weight: 3,
    source: { EVENT: 1 },
    target: { COUNTRY: 2, FACILITY: 2, CITY: 1, PERSON: 1 },
    qualify: (rng) => timeSpan(rng, 0, 0, 0.4),
    clause: (s, t) => `${s} targets ${t}`,
  },
  { type: 'RETALIATES_FOR', weight: 0.5, source: { EVENT: 1 }, target: { EVENT: 1 }, clause: (s, t) => `${s} is retaliation for ${t}` },
  { type: 'AIMS_TO_END', weight: 0.5, source: { PROPOSAL: 1 }, target: { EVENT: 1 }, clause: (s, t) => `${s} aims to end ${t}` },
  {
    type: 'HAS_AMBITIONS_IN',
    weight: 0.5,
    source: { COUNTRY: 3, GROUP: 1 },
    target: { REGION: 1 },
    clause: (s, t) => `${s} has ambitions in ${t}`,
  },
  { type: 'CONCERNED_ABOUT', weight: 3, source: ACTORS, target: { EVENT: 2, POLICY: 1 }, clause: (s, t) => `${s} is concerned about ${t}` },
  { type: 'OVERSHADOWS', weight: 0.5, source: { EVENT: 1 }, target: { EVENT: 1 }, clause: (s, t) => `${s} overshadows ${t}` },
  {
    type: 'ANNOUNCES',
    weight: 2,
    source: { PERSON: 1 },
    target: { POLICY: 1 },
    qualify: (rng) => timeSpan(rng, 0, 0, 0.5),
    clause: (s, t) => `${s} announces ${t}`,
  },
  {
    type: 'PRIORITIZES',
    weight: 1,
    source: ACTORS,
    target: { PROPOSAL: 1, POLICY: 1, EVENT: 1 },
    clause: (s, t) => `${s} prioritises ${t}`,
  },
];

export interface KindPlan {
  kind: EntityKind;
  label: string;
  count: number;
  /** Global index of this kind's first entity. */
  offset: number;
}

export interface SidePlan {
  kinds: { value: KindPlan; weight: number }[];
  total: number;
}

/** A contiguous range of one kind's entities, each of which gets one fact of a variant on one side. */
interface CoverageRange {
  side: 'source' | 'target';
  kind: KindPlan;
  from: number;
  to: number;
}

export interface VariantPlan {
  index: number;
  variant: RelationVariant;
  count: number;
  source: SidePlan;
  target: SidePlan;
  coverage: CoverageRange[];
  /** Global index of this variant's first relation. */
  offset: number;
}

export interface SyntheticPlan {
  entities: number;
  relations: number;
  seed: number;
  kinds: KindPlan[];
  variants: VariantPlan[];
  entityDocuments: number;
  relationDocuments: number;
  documents: number;
  /** Entities the coverage pass could not give a fact (only when there are fewer facts than entities). */
  uncovered: number;
}

/** Largest-remainder apportionment of `total` by `weights`. */
function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left -= 1) counts[order[k]!.i]! += 1;
  return counts;
}

export function checkOptions(options: SyntheticOptions): Required<SyntheticOptions> {
  const { entities, relations, seed = 1, batchSize = DEFAULT_BATCH_SIZE } = options;
  const positiveInt = (name: string, value: number, min: number) => {
    if (!Number.isSafeInteger(value) || value < min) throw new RangeError(`${name} must be an integer of at least ${min}; got ${value}`);
  };
  positiveInt('entities', entities, MIN_ENTITIES);
  positiveInt('relations', relations, 0);
  positiveInt('batch size', batchSize, 1);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer; got ${seed}`);
  if (entities > 99_999_999 || relations > 999_999_999) throw new RangeError('at most 99,999,999 entities and 999,999,999 relations');
  return { entities, relations, seed, batchSize };
}

export function planSynthetic(options: SyntheticOptions): SyntheticPlan {
  const { entities, relations, seed } = checkOptions(options);
  const countries = Math.min(200, Math.max(5, Math.round(entities * 0.01)));
  const others = apportion(
    entities - countries,
    KIND_SHARES.map(([, share]) => share),
  );
  const kinds: KindPlan[] = [];
  let offset = 0;
  for (const [kind, count] of [['COUNTRY', countries] as const, ...KIND_SHARES.map(([kind], i) => [kind, others[i]!] as const)]) {
    kinds.push({ kind, label: TYPE_NAME_BY_KIND[kind], count, offset });
    offset += count;
  }
  const kindOf = new Map(kinds.map((k) => [k.kind, k]));
  const side = (weights: KindWeights): SidePlan => {
    const list = Object.entries(weights)
      .map(([kind, weight]) => ({ value: kindOf.get(kind as EntityKind)!, weight: weight ?? 0 }))
      .filter((k) => k.value.count > 0 && k.weight > 0);
    return { kinds: list, total: list.reduce((a, k) => a + k.weight, 0) };
  };
  const usable = RELATION_VARIANTS.map((variant) => ({ variant, source: side(variant.source), target: side(variant.target) })).filter(
    (v) => v.source.total > 0 && v.target.total > 0,
  );
  const counts = apportion(
    relations,
    usable.map((v) => v.variant.weight),
  );
  let relationOffset = 0;
  const variants: VariantPlan[] = usable.map((v, index) => {
    const plan = { index, ...v, count: counts[index]!, coverage: [], offset: relationOffset };
    relationOffset += plan.count;
    return plan;
  });

  // Coverage: split each kind's entities among the (variant, side) slots that take that kind, in
  // proportion to how many endpoints each slot is expected to draw, so that every entity gets one fact.
  const slots = new Map<EntityKind, { plan: VariantPlan; side: 'source' | 'target'; expected: number }[]>();
  for (const plan of variants) {
    for (const sideName of ['source', 'target'] as const) {
      const s = plan[sideName];
      for (const k of s.kinds) {
        const list = slots.get(k.value.kind) ?? [];
        list.push({ plan, side: sideName, expected: (plan.count * k.weight) / s.total });
        slots.set(k.value.kind, list);
      }
    }
  }
  let uncovered = 0;
  for (const kind of kinds) {
    const list = slots.get(kind.kind) ?? [];
    const total = list.reduce((a, s) => a + s.expected, 0);
    if (total === 0) {
      uncovered += kind.count;
      continue;
    }
    let from = 0;
    let acc = 0;
    for (const slot of list) {
      acc += slot.expected;
      const to = Math.round((kind.count * acc) / total);
      if (to > from) slot.plan.coverage.push({ side: slot.side, kind, from, to });
      from = to;
    }
  }
  // A variant cannot cover more entities than it has facts; the rest stay without a fact.
  for (const plan of variants) {
    let room = plan.count;
    plan.coverage = plan.coverage.flatMap((range) => {
      const size = Math.min(range.to - range.from, room);
      uncovered += range.to - range.from - size;
      room -= size;
      return size > 0 ? [{ ...range, to: range.from + size }] : [];
    });
  }
  const entityDocuments = Math.ceil(entities / ENTITIES_PER_DOCUMENT);
  const relationDocuments = Math.ceil(relations / RELATIONS_PER_DOCUMENT);
  return {
    entities,
    relations,
    seed,
    kinds,
    variants,
    entityDocuments,
    relationDocuments,
    documents: entityDocuments + relationDocuments,
    uncovered,
  };
}
