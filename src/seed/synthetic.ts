/**
 * A synthetic knowledge graph for load tests: `npm run seed:synthetic` (src/seed/syntheticCli.ts) and
 * tests/integration/synthetic.test.ts use it. See docs/synthetic-data.md.
 *
 * The graph has the same model as the real seed (src/seed/load.ts), so every API query works on it:
 * - `(:Entity:<Label>)` nodes carry the same properties, with evidence stored as parallel lists.
 * - Facts are relationships of a RELATION_TYPES type, with the same qualifiers.
 * - `(:Document)` nodes carry the text that every evidence quote is taken from.
 *
 * It is ADDED to whatever the database holds:
 * - Every id starts with `syn-`, and every node and relationship has `synthetic: true`.
 * - Synthetic facts only link synthetic entities, so `clearSyntheticGraph` removes it all and leaves the
 *   real graph as it was.
 *
 * Generation is deterministic for a given (entities, relations, seed). It streams: only the entity names
 * (one string per entity), a degree counter and the current batch are held in memory.
 *
 * Degree distribution (Chung–Lu style): inside each kind, the entity of index i is drawn as an endpoint with
 * probability ≈ 1/(i+1) (Zipf, exponent 1), so index 0 of each kind is that kind's biggest hub. Before any
 * Zipf-drawn fact, a "coverage" pass gives every entity one fact, attached to a Zipf-drawn partner
 * (preferential attachment). The result is a few hubs with thousands of facts and a long tail with 1–3.
 */
import { int } from 'neo4j-driver';
import type { EntityKind, Modality, Rank, RelationType } from '../generated/graphql';
import type { Neo4jClient } from '../db/neo4jClient';
import { ensureSchema } from '../db/schema';
import type { RelationModel } from '../models/relation';
import { RELATION_TYPES } from '../data/relations';
import { evidenceToStored } from '../data/records';
import { TYPE_NAME_BY_KIND } from '../models/kinds';
import { ATTRIBUTES_BY_KIND } from '../models/attributes';

export const SYNTHETIC_ID_PREFIX = 'syn-';
export const DEFAULT_BATCH_SIZE = 10_000;
/** Each relation document holds the sentences (the evidence quotes) of this many consecutive relations. */
export const RELATIONS_PER_DOCUMENT = 2_000;
/** Each register document holds the one-sentence profiles of this many consecutive entities. */
export const ENTITIES_PER_DOCUMENT = 2_000;
export const MIN_ENTITIES = 100;
/** The marker node that records which parameters the synthetic graph in the database was made with. */
export const SYNTHETIC_GRAPH_LABEL = 'SyntheticGraph';
const SYNTHETIC_GRAPH_ID = 'syn-graph';
/** One batch is a bulk write: it may take far longer than an interactive query. */
const BATCH_TRANSACTION_TIMEOUT_MS = 10 * 60_000;
/** Documents are written once this much of their text is pending (in UTF-16 code units). */
const DOCUMENT_FLUSH_CHARS = 2_000_000;

export interface SyntheticOptions {
  entities: number;
  relations: number;
  /** PRNG seed; the same seed and sizes always give the same graph. Default 1. */
  seed?: number;
  /** Rows per write transaction. Does not change the graph. Default 10,000. */
  batchSize?: number;
}

// ---------------------------------------------------------------------------------------------------
// Deterministic randomness
// ---------------------------------------------------------------------------------------------------

/** Mixes integers into one 32-bit seed (FNV-1a steps followed by a murmur3 finalizer per part). */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x01000193);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** mulberry32: a small, fast PRNG with a 32-bit state; good enough for test data, not for anything secret. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }

  /**
   * A rank in [0, n) with P(r) ≈ 1/((r+1)·ln(n+1)): Zipf with exponent 1, drawn as a log-uniform variable
   * (inverse CDF of the continuous law), so no table is needed.
   */
  zipf(n: number): number {
    const r = Math.floor(Math.exp(this.next() * Math.log(n + 1))) - 1;
    return Math.min(Math.max(r, 0), n - 1);
  }

  weighted<T>(items: readonly { value: T; weight: number }[], total: number): T {
    let x = this.next() * total;
    for (const item of items) {
      x -= item.weight;
      if (x < 0) return item.value;
    }
    return items[items.length - 1]!.value;
  }
}

// ---------------------------------------------------------------------------------------------------
// The plan: how many entities of each kind, how many facts of each kind of fact
// ---------------------------------------------------------------------------------------------------

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

type Qualifiers = Pick<RelationModel, 'role' | 'share' | 'approximate' | 'pointInTime' | 'validFrom' | 'validTo'>;

/** One way a fact type links kinds; a type may have several (LOCATED_IN: event → place, facility → place, ...). */
interface RelationVariant {
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

const pct = (share: number) => `${Math.round(share * 100)}%`;

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

interface SidePlan {
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

function checkOptions(options: SyntheticOptions): Required<SyntheticOptions> {
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

// ---------------------------------------------------------------------------------------------------
// Ids, names, dates
// ---------------------------------------------------------------------------------------------------

const pad = (n: number, width: number) => String(n).padStart(width, '0');
export const entityId = (kind: EntityKind, index: number) => `${SYNTHETIC_ID_PREFIX}${kind.toLowerCase()}-${pad(index, 6)}`;
export const relationId = (index: number) => `${SYNTHETIC_ID_PREFIX}rel-${pad(index, 7)}`;
export const documentId = (index: number) => `${SYNTHETIC_ID_PREFIX}doc-${pad(index, 5)}`;

const SYLLABLES = [
  'ka',
  'ri',
  'mo',
  'ta',
  'len',
  'vor',
  'sa',
  'dil',
  'bra',
  'no',
  'vek',
  'ul',
  'mar',
  'zen',
  'ti',
  'o',
  'bel',
  'cas',
  'dor',
  'fen',
  'gal',
  'han',
  'ir',
  'jas',
  'kel',
  'lum',
  'mir',
  'nav',
  'os',
  'pel',
  'quin',
  'ros',
  'sul',
  'tam',
  'ur',
  'vas',
  'wen',
  'yar',
  'zol',
  'an',
  'est',
  'ko',
  'lia',
  'mun',
  'nor',
  'pra',
  'sil',
  'tor',
  'vin',
  'dra',
  'ke',
  'lo',
  'ma',
  'ne',
  'pi',
  'ru',
  'se',
  'to',
  'va',
  'zu',
];

function word(rng: Rng, minSyllables: number, maxSyllables: number): string {
  const n = minSyllables + rng.below(maxSyllables - minSyllables + 1);
  let w = '';
  for (let i = 0; i < n; i += 1) w += rng.pick(SYLLABLES);
  return w.charAt(0).toUpperCase() + w.slice(1);
}

const EVENT_TYPES = [
  'summit',
  'talks',
  'strike',
  'offensive',
  'election',
  'protest',
  'ceasefire',
  'visit',
  'conference',
  'invasion',
  'blockade',
  'referendum',
];
const SUFFIXES: Partial<Record<EntityKind, readonly string[]>> = {
  REGION: ['Oblast', 'Province', 'Valley', 'Highlands', 'Coast', 'Basin', 'Plateau'],
  FACILITY: ['Power Plant', 'Airbase', 'Port', 'Oil Depot', 'Dam', 'Naval Base', 'Refinery', 'Grid'],
  ORGANIZATION: ['Alliance', 'Council', 'Union', 'Commission', 'Bank', 'Agency', 'Forum', 'Institute', 'Pact'],
  GROUP: ['Front', 'Brigade', 'Movement', 'Coalition', 'Militia', 'Bloc', 'Allies'],
  PROPOSAL: ['Peace Plan', 'Accord', 'Ceasefire Proposal', 'Framework', 'Security Guarantees', 'Roadmap', 'Initiative'],
  POLICY: ['Doctrine', 'Act', 'Sanctions Policy', 'Tariff Policy', 'Energy Policy', 'Directive', 'Mobilisation Order'],
};
const titleCase = (text: string) => text.replace(/\b\w/g, (c) => c.toUpperCase());

/** Kinds whose names read with "the" in a sentence ("the Korvadil Summit"). */
const WITH_ARTICLE = new Set<EntityKind>(['EVENT', 'ORGANIZATION', 'GROUP', 'FACILITY', 'PROPOSAL', 'POLICY']);

function nameOf(seed: number, kind: EntityKind, g: number): string {
  const rng = new Rng(mixSeed(seed, 2, g));
  switch (kind) {
    case 'PERSON':
      return `${word(rng, 2, 2)} ${word(rng, 2, 3)}`;
    case 'COUNTRY':
      return `${word(rng, 2, 2)}${rng.pick(['ia', 'stan', 'land', 'ora', 'istan', 'avia', 'enia'])}`;
    case 'CITY':
      return `${word(rng, 2, 3)}${rng.pick(['', '', 'grad', 'ville', 'sk', 'pol'])}`;
    case 'EVENT':
      return `${word(rng, 2, 3)} ${titleCase(eventTypeOf(seed, g))}`;
    default:
      return `${word(rng, 2, 3)} ${rng.pick(SUFFIXES[kind] ?? ['Place'])}`;
  }
}

function eventTypeOf(seed: number, g: number): string {
  return EVENT_TYPES[mixSeed(seed, 3, g) % EVENT_TYPES.length]!;
}

/** YYYY, YYYY-MM or YYYY-MM-DD between 1990 and 2025; days stop at 28, so every date is real. */
function partialDate(rng: Rng): string {
  const year = 1990 + rng.below(36);
  const p = rng.next();
  if (p < 0.4) return String(year);
  const month = pad(1 + rng.below(12), 2);
  if (p < 0.7) return `${year}-${month}`;
  return `${year}-${month}-${pad(1 + rng.below(28), 2)}`;
}

/** A date in a later year than `date`, at its own precision. */
function laterDate(rng: Rng, date: string): string {
  const year = Number(date.slice(0, 4)) + 1 + rng.below(6);
  const later = partialDate(rng);
  return `${year}${later.slice(4)}`;
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

// ---------------------------------------------------------------------------------------------------
// Rows
// ---------------------------------------------------------------------------------------------------

export interface EntityRow {
  id: string;
  props: Record<string, unknown>;
}

export interface RelationRow {
  id: string;
  source: string;
  target: string;
  props: Record<string, unknown>;
}

export interface DocumentRow {
  id: string;
  title: string;
  titleIsEditorial: boolean;
  publisher: string;
  url: string;
  publishedAt: string;
  language: string;
  attribution: string;
  text: string;
  synthetic: true;
}

export type SyntheticBatch =
  | { phase: 'entities'; kind: EntityKind; label: string; rows: EntityRow[] }
  | { phase: 'relations'; type: RelationType; rows: RelationRow[] };

interface Attribute {
  name: string;
  value: string | number;
}

const INTEGER_ATTRIBUTES = new Set(['termYears', 'minimumMemberCount']);
const PROPOSAL_STATUS: Record<string, string> = {
  PROPOSED: 'proposed',
  UNDER_DISCUSSION: 'under discussion',
  PARTIALLY_AGREED: 'partially agreed',
  OUTSTANDING: 'outstanding',
  AGREED: 'agreed',
  REJECTED: 'rejected',
};
const CONDITIONS = [
  'the ceasefire holds',
  'troops withdraw',
  'sanctions are lifted',
  'elections take place',
  'observers are admitted',
  'prisoners are exchanged',
];
const OCCUPATIONS = [
  'politician',
  'diplomat',
  'general',
  'journalist',
  'analyst',
  'minister',
  'envoy',
  'activist',
  'economist',
  'commander',
];

/** Accumulates sentences into documents, in index order; finished documents wait in `pending`. */
class DocumentBuilder {
  private current = -1;
  private sentences: string[] = [];
  private pendingChars = 0;
  readonly pending: DocumentRow[] = [];
  written = 0;

  constructor(
    private readonly plan: SyntheticPlan,
    private readonly seed: number,
  ) {}

  add(index: number, sentence: string): void {
    if (index !== this.current) {
      this.finish();
      this.current = index;
    }
    this.sentences.push(sentence);
    this.pendingChars += sentence.length + 1;
  }

  /** True when enough text waits to be worth a write. */
  get full(): boolean {
    return this.pendingChars >= DOCUMENT_FLUSH_CHARS;
  }

  finish(): void {
    if (this.current < 0 || this.sentences.length === 0) return;
    const index = this.current;
    const register = index < this.plan.entityDocuments;
    const rng = new Rng(mixSeed(this.seed, 4, index));
    const id = documentId(index);
    this.pending.push({
      id,
      title: register
        ? `Synthetic register ${index + 1} of ${this.plan.entityDocuments}`
        : `Synthetic dispatch ${index - this.plan.entityDocuments + 1} of ${this.plan.relationDocuments}`,
      titleIsEditorial: true,
      publisher: 'Synthetic Wire',
      url: `https://synthetic.invalid/${id}`,
      publishedAt: `${2015 + rng.below(11)}-${pad(1 + rng.below(12), 2)}-${pad(1 + rng.below(28), 2)}`,
      language: 'en',
      attribution: `Generated by npm run seed:synthetic (seed ${this.seed}); not real news.`,
      text: this.sentences.join(' '),
      synthetic: true,
    });
    this.sentences = [];
  }

  take(): DocumentRow[] {
    const docs = this.pending.splice(0);
    this.pendingChars = this.sentences.reduce((a, s) => a + s.length + 1, 0);
    this.written += docs.length;
    return docs;
  }
}

export interface DegreeStats {
  entities: number;
  min: number;
  max: number;
  mean: number;
  median: number;
  p90: number;
  p99: number;
  /** Entities with 1 to 3 facts. */
  lowDegree: number;
  isolated: number;
}

export function degreeStats(degrees: ArrayLike<number>): DegreeStats {
  const sorted = Float64Array.from(degrees).sort();
  const n = sorted.length;
  const at = (q: number) => (n === 0 ? 0 : sorted[Math.min(n - 1, Math.ceil(q * n) - 1)]!);
  let sum = 0;
  let low = 0;
  let isolated = 0;
  for (const d of sorted) {
    sum += d;
    if (d >= 1 && d <= 3) low += 1;
    if (d === 0) isolated += 1;
  }
  return {
    entities: n,
    min: sorted[0] ?? 0,
    max: sorted[n - 1] ?? 0,
    mean: n === 0 ? 0 : sum / n,
    median: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    lowDegree: low,
    isolated,
  };
}

/**
 * Generates the graph as batches of at most `batchSize` rows, entities first (one kind per batch), then
 * facts (one type per batch). Documents fill up in `documents` as the sentences they quote are made;
 * `degrees` counts each entity's facts.
 */
export class SyntheticGenerator {
  readonly plan: SyntheticPlan;
  readonly documents: DocumentBuilder;
  readonly degrees: Int32Array;
  private readonly names: string[];
  private readonly seed: number;
  private readonly kindOfIndex: Int8Array;

  constructor(options: SyntheticOptions) {
    this.plan = planSynthetic(options);
    this.seed = this.plan.seed;
    this.documents = new DocumentBuilder(this.plan, this.seed);
    this.degrees = new Int32Array(this.plan.entities);
    this.kindOfIndex = new Int8Array(this.plan.entities);
    this.names = new Array<string>(this.plan.entities);
    this.plan.kinds.forEach((k, ki) => {
      for (let i = 0; i < k.count; i += 1) {
        this.names[k.offset + i] = nameOf(this.seed, k.kind, k.offset + i);
        this.kindOfIndex[k.offset + i] = ki;
      }
    });
  }

  /** The name of the global entity index `g` as a sentence uses it ("the Korvadil Summit"). */
  private phrase(g: number): string {
    const kind = this.plan.kinds[this.kindOfIndex[g]!]!.kind;
    return WITH_ARTICLE.has(kind) ? `the ${this.names[g]}` : this.names[g]!;
  }

  private idOf(g: number): string {
    const k = this.plan.kinds[this.kindOfIndex[g]!]!;
    return entityId(k.kind, g - k.offset);
  }

  /** A Zipf-drawn country's name, for descriptions. */
  private someCountry(rng: Rng): string {
    const c = this.plan.kinds[0]!;
    return this.names[c.offset + rng.zipf(c.count)]!;
  }

  entityRow(kind: KindPlan, i: number): EntityRow {
    const g = kind.offset + i;
    const rng = new Rng(mixSeed(this.seed, 1, g));
    const name = this.names[g]!;
    const the = WITH_ARTICLE.has(kind.kind) ? 'The ' : '';
    const aliases: string[] = [];
    const attributes: Attribute[] = [];
    let description: string;
    let sentence: string;
    switch (kind.kind) {
      case 'PERSON': {
        const occupation = rng.pick(OCCUPATIONS);
        const country = this.someCountry(rng);
        const [first = '', last = ''] = name.split(' ');
        if (rng.chance(0.3)) aliases.push(`${first.charAt(0)}. ${last}`);
        description = `Synthetic ${occupation} from ${country}.`;
        sentence = `${name} is a ${occupation} from ${country}.`;
        break;
      }
      case 'COUNTRY': {
        const official = rng.chance(0.5);
        if (official) aliases.push(`Republic of ${name}`, `${name.slice(0, 3).toUpperCase()}`);
        description = 'Synthetic sovereign state.';
        sentence = official
          ? `${name}, officially the Republic of ${name} (${name.slice(0, 3).toUpperCase()}), is a sovereign state.`
          : `${name} is a sovereign state.`;
        break;
      }
      case 'EVENT': {
        const eventType = eventTypeOf(this.seed, g);
        attributes.push({ name: 'eventType', value: eventType });
        const startDate = rng.chance(0.95) ? partialDate(rng) : null;
        const endDate = startDate !== null && rng.chance(0.3) ? laterDate(rng, startDate) : null;
        if (startDate) attributes.push({ name: 'startDate', value: startDate });
        if (endDate) attributes.push({ name: 'endDate', value: endDate });
        description = `Synthetic ${eventType} in ${this.someCountry(rng)}.`;
        sentence = startDate
          ? `The ${name} (${eventType}) began in ${startDate}${endDate ? ` and ended in ${endDate}` : ''}.`
          : `The ${name} is a ${eventType} whose date is not known.`;
        break;
      }
      case 'PROPOSAL': {
        const status = rng.pick(Object.keys(PROPOSAL_STATUS));
        attributes.push({ name: 'status', value: status });
        let text = `The ${name} is ${PROPOSAL_STATUS[status]}`;
        if (rng.chance(0.5)) {
          const share = Math.round(rng.next() * 100) / 100;
          attributes.push({ name: 'agreedShare', value: share });
          text += `, with ${pct(share)} agreed`;
        }
        if (rng.chance(0.4)) {
          const years = 1 + rng.below(25);
          attributes.push({ name: 'termYears', value: years });
          text += `, for a term of ${years} years`;
        }
        if (rng.chance(0.3)) {
          const condition = rng.pick(CONDITIONS);
          attributes.push({ name: 'condition', value: condition });
          text += `, on condition that ${condition}`;
        }
        description = `Synthetic proposal of ${this.someCountry(rng)}.`;
        sentence = `${text}.`;
        break;
      }
      case 'ORGANIZATION':
      case 'GROUP': {
        const size = 3 + rng.zipf(500);
        const more = rng.chance(0.5);
        const reportedSize = more ? `more than ${size}` : `about ${size}`;
        attributes.push({ name: 'reportedSize', value: reportedSize });
        if (more) attributes.push({ name: 'minimumMemberCount', value: size + 1 });
        if (kind.kind === 'ORGANIZATION' && rng.chance(0.5)) {
          const [root = '', ...rest] = name.split(' ');
          aliases.push(root.slice(0, 3).toUpperCase() + rest.map((w) => w.charAt(0)).join(''));
        }
        description = `Synthetic ${kind.kind === 'GROUP' ? 'group' : 'organisation'} based in ${this.someCountry(rng)}.`;
        sentence = `${the}${name} has ${reportedSize} members.`;
        break;
      }
      default: {
        const country = this.someCountry(rng);
        const what = { REGION: 'a region', CITY: 'a city', FACILITY: 'a facility', POLICY: 'a policy' }[kind.kind as string] ?? 'a place';
        description = `Synthetic ${what.slice(2)} in ${country}.`;
        sentence = `${the}${name} is ${what} ${kind.kind === 'POLICY' ? 'of' : 'in'} ${country}.`;
      }
    }
    const doc = documentId(Math.floor(g / ENTITIES_PER_DOCUMENT));
    this.documents.add(Math.floor(g / ENTITIES_PER_DOCUMENT), sentence);
    const evidence = [{ documentId: doc, quote: sentence, confidence: 0.95 }];
    const typed = Object.fromEntries(attributes.map((a) => [a.name, INTEGER_ATTRIBUTES.has(a.name) ? int(a.value as number) : a.value]));
    return {
      id: entityId(kind.kind, i),
      props: {
        id: entityId(kind.kind, i),
        kind: kind.kind,
        name,
        aliases,
        description,
        ...evidenceToStored(evidence),
        attributesJson: JSON.stringify(
          attributes.map((a) => ({ name: a.name, value: a.value, modality: 'ASSERTED', claimedById: null, evidence })),
        ),
        ...typed,
        synthetic: true,
      },
    };
  }

  *entityBatches(batchSize: number): Generator<SyntheticBatch & { phase: 'entities' }> {
    for (const kind of this.plan.kinds) {
      for (let from = 0; from < kind.count; from += batchSize) {
        const rows: EntityRow[] = [];
        for (let i = from; i < Math.min(kind.count, from + batchSize); i += 1) rows.push(this.entityRow(kind, i));
        yield { phase: 'entities', kind: kind.kind, label: kind.label, rows };
      }
    }
  }

  private drawSide(rng: Rng, side: SidePlan): number {
    const kind = rng.weighted(side.kinds, side.total);
    return kind.offset + rng.zipf(kind.count);
  }

  *relationBatches(batchSize: number): Generator<SyntheticBatch & { phase: 'relations' }> {
    const n = this.plan.entities;
    for (const plan of this.plan.variants) {
      const rng = new Rng(mixSeed(this.seed, 10, plan.index));
      const { variant } = plan;
      const seen = new Set<number>();
      const ranges = plan.coverage;
      let rangeIndex = 0;
      let rangeAt = ranges[0]?.from ?? 0;
      let rows: RelationRow[] = [];
      for (let k = 0; k < plan.count; k += 1) {
        // The fixed end of a coverage fact, or none once every range is done.
        let fixed: { side: 'source' | 'target'; g: number } | null = null;
        while (rangeIndex < ranges.length && rangeAt >= ranges[rangeIndex]!.to) {
          rangeIndex += 1;
          rangeAt = ranges[rangeIndex]?.from ?? 0;
        }
        const range = ranges[rangeIndex];
        if (range) {
          fixed = { side: range.side, g: range.kind.offset + rangeAt };
          rangeAt += 1;
        }
        let s: number;
        let t: number;
        for (let attempt = 0; ; attempt += 1) {
          // After a few collisions with existing pairs (hub to hub), fall back to uniform draws.
          const draw = (sidePlan: SidePlan) => {
            if (attempt < 8) return this.drawSide(rng, sidePlan);
            const kind = rng.weighted(sidePlan.kinds, sidePlan.total);
            return kind.offset + rng.below(kind.count);
          };
          s = fixed?.side === 'source' ? fixed.g : draw(plan.source);
          t = fixed?.side === 'target' ? fixed.g : draw(plan.target);
          if (s === t) {
            if (attempt > 10_000) throw new Error(`${variant.type}: cannot find two distinct endpoints`);
            continue;
          }
          const key = s * n + t;
          const duplicate = seen.has(key) || (variant.symmetric === true && seen.has(t * n + s));
          if (!duplicate || attempt >= 64) {
            seen.add(key);
            break;
          }
        }
        this.degrees[s]! += 1;
        this.degrees[t]! += 1;
        rows.push(this.relationRow(rng, plan, plan.offset + k, s, t));
        if (rows.length >= batchSize) {
          yield { phase: 'relations', type: variant.type, rows };
          rows = [];
        }
      }
      if (rows.length > 0) yield { phase: 'relations', type: variant.type, rows };
    }
    this.documents.finish();
  }

  private relationRow(rng: Rng, plan: VariantPlan, index: number, s: number, t: number): RelationRow {
    const q: Qualifiers = {
      role: null,
      share: null,
      approximate: false,
      pointInTime: null,
      validFrom: null,
      validTo: null,
      ...plan.variant.qualify?.(rng),
    };
    const m = rng.next();
    const modality: Modality = m < 0.8 ? 'ASSERTED' : m < 0.9 ? 'REPORTED' : m < 0.95 ? 'CLAIMED' : 'EXPECTED';
    const r = rng.next();
    const rank: Rank = r < 0.01 ? 'DEPRECATED' : r < 0.03 ? 'PREFERRED' : 'NORMAL';
    let claimedBy: number | null = null;
    if (modality === 'CLAIMED') {
      const people = this.plan.kinds.find((k) => k.kind === 'PERSON')!;
      claimedBy = people.offset + rng.zipf(people.count);
    }
    let text = plan.variant.clause(this.phrase(s), this.phrase(t), q);
    if (q.pointInTime) text += ` in ${q.pointInTime}`;
    else if (q.validFrom) text += ` from ${q.validFrom}${q.validTo ? ` to ${q.validTo}` : ''}`;
    if (modality === 'REPORTED') text = `it was reported that ${text}`;
    else if (modality === 'CLAIMED') text = `${this.names[claimedBy!]} claims that ${text}`;
    else if (modality === 'EXPECTED') text = `it is expected that ${text}`;
    const sentence = `${capitalize(text)}.`;
    const docIndex = this.plan.entityDocuments + Math.floor(index / RELATIONS_PER_DOCUMENT);
    this.documents.add(docIndex, sentence);
    const confidence = modality === 'EXPECTED' ? 0.5 : modality === 'ASSERTED' ? (q.approximate ? 0.8 : 0.95) : 0.7;
    return {
      id: relationId(index),
      source: this.idOf(s),
      target: this.idOf(t),
      props: {
        id: relationId(index),
        ...q,
        rank,
        modality,
        claimedBy: claimedBy === null ? null : this.idOf(claimedBy),
        ...evidenceToStored([{ documentId: documentId(docIndex), quote: sentence, confidence }]),
        synthetic: true,
      },
    };
  }

  degreeStats(): DegreeStats {
    return degreeStats(this.degrees);
  }

  /** The `count` entities with the most facts, biggest first. */
  topHubs(count: number): { id: string; name: string; degree: number }[] {
    const order = Array.from(this.degrees.keys()).sort((a, b) => this.degrees[b]! - this.degrees[a]! || a - b);
    return order.slice(0, count).map((g) => ({ id: this.idOf(g), name: this.names[g]!, degree: this.degrees[g]! }));
  }
}

// ---------------------------------------------------------------------------------------------------
// Writing and clearing
// ---------------------------------------------------------------------------------------------------

export type SyntheticProgress =
  | { phase: 'schema' | 'done'; elapsedMs: number }
  | {
      phase: 'entities' | 'relations' | 'documents';
      done: number;
      total: number;
      label: string;
      elapsedMs: number;
      phaseElapsedMs: number;
    };

export interface SyntheticSummary {
  entities: number;
  relations: number;
  documents: number;
  batchSize: number;
  seed: number;
  elapsedMs: number;
  entityPhaseMs: number;
  relationPhaseMs: number;
  relationsPerSecond: number;
  degrees: DegreeStats;
  topHubs: { id: string; name: string; degree: number }[];
}

/** Raised when the database holds synthetic data made with other parameters: ids would collide. */
export class SyntheticConflictError extends Error {
  override readonly name = 'SyntheticConflictError';
}

interface GraphMarker {
  entities: number;
  relations: number;
  seed: number;
  complete: boolean;
}

async function readMarker(client: Neo4jClient): Promise<GraphMarker | null> {
  const [row] = await client.read<{ m: GraphMarker }>(
    `MATCH (m:${SYNTHETIC_GRAPH_LABEL} {id: $id}) RETURN m {.entities, .relations, .seed, .complete} AS m`,
    { id: SYNTHETIC_GRAPH_ID },
  );
  return row?.m ?? null;
}

async function writeMarker(client: Neo4jClient, plan: SyntheticPlan, complete: boolean): Promise<void> {
  await client.write(`MERGE (m:${SYNTHETIC_GRAPH_LABEL} {id: $id}) SET m += $props`, {
    id: SYNTHETIC_GRAPH_ID,
    props: { entities: int(plan.entities), relations: int(plan.relations), seed: int(plan.seed), complete, synthetic: true },
  });
}

/**
 * Properties are SET one by one from these fixed lists, not with `SET x = row.props`: a whole-map SET may
 * write `id`, which the MERGE reads, so Cypher would put an Eager (every row of the batch materialised
 * before any write) into the plan. Each list names every property a row can carry; null removes it.
 */
const ENTITY_PROPERTIES = [
  'kind',
  'name',
  'aliases',
  'description',
  'evidenceDocuments',
  'evidenceQuotes',
  'evidenceConfidences',
  'attributesJson',
  'synthetic',
];
const RELATION_PROPERTIES = [
  'role',
  'share',
  'approximate',
  'pointInTime',
  'validFrom',
  'validTo',
  'rank',
  'modality',
  'claimedBy',
  'evidenceDocuments',
  'evidenceQuotes',
  'evidenceConfidences',
  'synthetic',
];
const setEach = (variable: string, properties: readonly string[]) => properties.map((p) => `${variable}.${p} = row.props.${p}`).join(', ');

/** Entity writes: MERGE on the id (unique constraint), then every property and the kind's label. */
export function entityStatement(kind: EntityKind): string {
  const label = TYPE_NAME_BY_KIND[kind];
  if (!label) throw new Error(`No label for entity kind ${kind}`);
  const properties = [...ENTITY_PROPERTIES, ...Object.keys(ATTRIBUTES_BY_KIND[kind as keyof typeof ATTRIBUTES_BY_KIND] ?? {})];
  return `UNWIND $rows AS row
          MERGE (e:Entity {id: row.id})
          SET ${setEach('e', properties)}, e:${label}
          RETURN count(e) AS written`;
}

/**
 * Fact writes are a MERGE on the id, anchored on both endpoints, done as three statements in one
 * transaction: look up the batch's ids (one index range, since a batch's ids are consecutive), CREATE the
 * facts that are missing, SET the ones found (after checking that their endpoints are the same).
 *
 * Not `UNWIND $rows ... MERGE (a)-[r:T {id: row.id}]->(b)`: on 10,000-row batches Neo4j 5.26 sometimes
 * planned that MERGE's lookup, per row, as a scan of the whole relation-id index (when the sampled index
 * statistics said the index was empty), or as a seek that walks every fact already created in the same
 * transaction; one batch then took 100 to 200+ seconds instead of one. Here the lookup happens once per
 * batch, before the transaction has written anything, and the writes look no relationship up.
 */
export function relationStatements(type: RelationType): { find: string; create: string; update: string } {
  if (!RELATION_TYPES.includes(type)) throw new Error(`Relation type ${type} is not in the vocabulary`);
  return {
    find: `MATCH (a)-[r:${type}]->(b) USING INDEX r:${type}(id)
           WHERE r.id >= $from AND r.id <= $to
           RETURN r.id AS id, elementId(r) AS elementId, a.id AS source, b.id AS target`,
    create: `UNWIND $rows AS row
             MATCH (a:Entity {id: row.source}) USING INDEX a:Entity(id)
             MATCH (b:Entity {id: row.target}) USING INDEX b:Entity(id)
             CREATE (a)-[r:${type} {id: row.id}]->(b)
             SET ${setEach('r', RELATION_PROPERTIES)}
             RETURN count(r) AS written`,
    // The same text for every type (an element id needs no type): one query plan instead of one per type.
    update: `UNWIND $rows AS row
             MATCH ()-[r]->() WHERE elementId(r) = row.elementId
             SET ${setEach('r', RELATION_PROPERTIES)}
             RETURN count(r) AS written`,
  };
}

/**
 * Upserts one batch of facts of one type in one transaction; returns how many were created.
 * `knownEmpty`: the run started on a database with no synthetic data, so the lookup is skipped (it
 * would find nothing), except on a retry, since the driver also retries a commit whose outcome it did
 * not hear.
 */
async function writeRelations(client: Neo4jClient, type: RelationType, rows: RelationRow[], knownEmpty: boolean): Promise<number> {
  const statements = relationStatements(type);
  let attempt = 0;
  return client.writeTransaction(async (tx) => {
    attempt += 1;
    const ids = rows.map((r) => r.id).sort();
    const found = knownEmpty && attempt === 1 ? { records: [] } : await tx.run(statements.find, { from: ids[0], to: ids[ids.length - 1] });
    const existing = new Map(
      found.records.map((rec) => [rec.get('id') as string, rec.toObject() as { elementId: string; source: string; target: string }]),
    );
    const fresh: RelationRow[] = [];
    const known: (RelationRow & { elementId: string })[] = [];
    for (const row of rows) {
      const hit = existing.get(row.id);
      if (!hit) fresh.push(row);
      else if (hit.source === row.source && hit.target === row.target) known.push({ ...row, elementId: hit.elementId });
      else
        throw new SyntheticConflictError(
          `${type} ${row.id} exists between ${hit.source} and ${hit.target}, not ${row.source} and ${row.target}: remove the synthetic graph with --clear`,
        );
    }
    const count = async (statement: string, batch: unknown[]) =>
      batch.length === 0 ? 0 : Number((await tx.run(statement, { rows: batch })).records[0]?.get('written') ?? 0);
    const created = await count(statements.create, fresh);
    const updated = await count(statements.update, known);
    if (created + updated !== rows.length)
      throw new Error(`wrote ${created + updated} of ${rows.length} ${type} facts: an endpoint is missing`);
    return created;
  }, BATCH_TRANSACTION_TIMEOUT_MS);
}

async function writeBatch(client: Neo4jClient, statement: string, rows: unknown[]): Promise<void> {
  const written = await client.writeTransaction(async (tx) => {
    const result = await tx.run(statement, { rows });
    return Number(result.records[0]?.get('written') ?? 0);
  }, BATCH_TRANSACTION_TIMEOUT_MS);
  if (written !== rows.length) throw new Error(`wrote ${written} of ${rows.length} rows: an endpoint is missing`);
}

async function writeDocuments(client: Neo4jClient, documents: DocumentRow[]): Promise<void> {
  if (documents.length === 0) return;
  await writeBatch(
    client,
    `UNWIND $rows AS row
     MERGE (d:Document {id: row.id})
     SET d = row
     RETURN count(d) AS written`,
    documents,
  );
}

/**
 * Generates the synthetic graph and writes it: schema first, then entities, then facts, each batch in its
 * own write transaction, with documents written as they fill up. Idempotent: a rerun with the same
 * entities, relations and seed changes no counts (and, whatever the batch size, writes the same graph).
 */
export async function writeSyntheticGraph(
  client: Neo4jClient,
  options: SyntheticOptions,
  onProgress: (progress: SyntheticProgress) => void = () => {},
): Promise<SyntheticSummary> {
  const { batchSize } = checkOptions(options);
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const generator = new SyntheticGenerator(options);
  const { plan } = generator;

  const marker = await readMarker(client);
  if (marker && (marker.entities !== plan.entities || marker.relations !== plan.relations || marker.seed !== plan.seed)) {
    throw new SyntheticConflictError(
      `The database already holds a synthetic graph made with --entities ${marker.entities} --relations ${marker.relations} --seed ${marker.seed}; ` +
        'its ids would collide with this one. Remove it first with --clear.',
    );
  }
  if (!marker && (await countSyntheticEntities(client, 1)) > 0) {
    throw new SyntheticConflictError(
      'The database holds synthetic entities (ids syn-…) with no record of how they were made. Remove them first with --clear.',
    );
  }

  await ensureSchema(client);
  onProgress({ phase: 'schema', elapsedMs: elapsed() });
  await writeMarker(client, plan, false);

  const flushDocuments = async (force: boolean) => {
    if (!force && !generator.documents.full) return;
    if (force) generator.documents.finish();
    const documents = generator.documents.take();
    if (documents.length === 0) return;
    await writeDocuments(client, documents);
    onProgress({
      phase: 'documents',
      done: generator.documents.written,
      total: plan.documents,
      label: 'Document',
      elapsedMs: elapsed(),
      phaseElapsedMs: elapsed(),
    });
  };

  const entitiesStarted = performance.now();
  let done = 0;
  for (const batch of generator.entityBatches(batchSize)) {
    await writeBatch(client, entityStatement(batch.kind), batch.rows);
    done += batch.rows.length;
    onProgress({
      phase: 'entities',
      done,
      total: plan.entities,
      label: batch.label,
      elapsedMs: elapsed(),
      phaseElapsedMs: performance.now() - entitiesStarted,
    });
    await flushDocuments(false);
  }
  await flushDocuments(true);
  const entityPhaseMs = performance.now() - entitiesStarted;

  const relationsStarted = performance.now();
  done = 0;
  for (const batch of generator.relationBatches(batchSize)) {
    await writeRelations(client, batch.type, batch.rows, marker === null);
    done += batch.rows.length;
    onProgress({
      phase: 'relations',
      done,
      total: plan.relations,
      label: batch.type,
      elapsedMs: elapsed(),
      phaseElapsedMs: performance.now() - relationsStarted,
    });
    await flushDocuments(false);
  }
  await flushDocuments(true);
  const relationPhaseMs = performance.now() - relationsStarted;

  await writeMarker(client, plan, true);
  const elapsedMs = elapsed();
  onProgress({ phase: 'done', elapsedMs });
  return {
    entities: plan.entities,
    relations: plan.relations,
    documents: plan.documents,
    batchSize,
    seed: plan.seed,
    elapsedMs,
    entityPhaseMs,
    relationPhaseMs,
    relationsPerSecond: plan.relations / (relationPhaseMs / 1000),
    degrees: generator.degreeStats(),
    topHubs: generator.topHubs(5),
  };
}

async function countSyntheticEntities(client: Neo4jClient, limit: number): Promise<number> {
  const [row] = await client.read<{ n: number }>(
    `MATCH (e:Entity) WHERE e.id STARTS WITH $prefix AND e.synthetic = true WITH e LIMIT $limit RETURN count(e) AS n`,
    { prefix: SYNTHETIC_ID_PREFIX, limit: int(limit) },
  );
  return row?.n ?? 0;
}

async function deleteInBatches(
  client: Neo4jClient,
  statement: string,
  batchSize: number,
  onBatch: (deleted: number) => void,
  params: Record<string, unknown> = {},
): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await client.writeTransaction(async (tx) => {
      const result = await tx.run(statement, { prefix: SYNTHETIC_ID_PREFIX, batch: int(batchSize), ...params });
      return Number(result.records[0]?.get('deleted') ?? 0);
    }, BATCH_TRANSACTION_TIMEOUT_MS);
    total += deleted;
    if (deleted > 0) onBatch(total);
    if (deleted < batchSize) return total;
  }
}

export interface ClearSummary {
  relations: number;
  entities: number;
  documents: number;
  elapsedMs: number;
}

/**
 * Removes every synthetic fact, entity and document (and the marker), each in batches of `batchSize` in
 * its own transaction, so that a million facts never sit in one transaction. The real graph is untouched:
 * only nodes whose id starts with `syn-` and that have `synthetic: true` go.
 */
export async function clearSyntheticGraph(
  client: Neo4jClient,
  batchSize = DEFAULT_BATCH_SIZE,
  onProgress: (what: 'relations' | 'entities' | 'documents', deleted: number) => void = () => {},
): Promise<ClearSummary> {
  const started = performance.now();
  // Facts first, a slice of synthetic entities at a time (in id order, so no entity is walked twice), at
  // most `batchSize` facts per transaction. Two statements whatever the types: few query plans to make.
  let relations = 0;
  let after = '';
  for (;;) {
    const [slice] = await client.read<{ first: string | null; last: string | null }>(
      `MATCH (e:Entity) USING INDEX e:Entity(id) WHERE e.id STARTS WITH $prefix AND e.id > $after AND e.synthetic = true
       WITH e.id AS id ORDER BY id LIMIT $entities
       RETURN min(id) AS first, max(id) AS last`,
      { prefix: SYNTHETIC_ID_PREFIX, after, entities: int(Math.max(1, Math.ceil(batchSize / 10))) },
    );
    if (!slice?.first || !slice.last) break;
    const before = relations;
    relations += await deleteInBatches(
      client,
      `MATCH (e:Entity) USING INDEX e:Entity(id) WHERE e.id >= $first AND e.id <= $last AND e.synthetic = true
       MATCH (e)-[r]-()
       WITH DISTINCT r LIMIT $batch
       DELETE r
       RETURN count(r) AS deleted`,
      batchSize,
      (n) => onProgress('relations', before + n),
      { first: slice.first, last: slice.last },
    );
    after = slice.last;
  }
  // DETACH: a fact someone else attached to a synthetic entity goes with it.
  const entities = await deleteInBatches(
    client,
    `MATCH (e:Entity) USING INDEX e:Entity(id) WHERE e.id STARTS WITH $prefix AND e.synthetic = true
     WITH e LIMIT $batch
     DETACH DELETE e
     RETURN count(e) AS deleted`,
    batchSize,
    (n) => onProgress('entities', n),
  );
  const documents = await deleteInBatches(
    client,
    `MATCH (d:Document) USING INDEX d:Document(id) WHERE d.id STARTS WITH $prefix AND d.synthetic = true
     WITH d LIMIT $batch
     DETACH DELETE d
     RETURN count(d) AS deleted`,
    Math.max(1, Math.floor(batchSize / 100)),
    (n) => onProgress('documents', n),
  );
  await client.write(`MATCH (m:${SYNTHETIC_GRAPH_LABEL}) DETACH DELETE m`);
  return { relations, entities, documents, elapsedMs: performance.now() - started };
}

/** Degree statistics of the synthetic entities as stored in the database. */
export async function storedDegreeStats(
  client: Neo4jClient,
): Promise<DegreeStats & { topHubs: { id: string; name: string; degree: number }[] }> {
  const [stats] = await client.read<DegreeStats>(
    `MATCH (e:Entity) WHERE e.id STARTS WITH $prefix AND e.synthetic = true
     WITH COUNT { (e)--() } AS degree
     RETURN count(*) AS entities, min(degree) AS min, max(degree) AS max, avg(degree) AS mean,
            percentileDisc(degree, 0.5) AS median, percentileDisc(degree, 0.9) AS p90, percentileDisc(degree, 0.99) AS p99,
            sum(CASE WHEN degree >= 1 AND degree <= 3 THEN 1 ELSE 0 END) AS lowDegree, sum(CASE WHEN degree = 0 THEN 1 ELSE 0 END) AS isolated`,
    { prefix: SYNTHETIC_ID_PREFIX },
  );
  const topHubs = await client.read<{ id: string; name: string; degree: number }>(
    `MATCH (e:Entity) WHERE e.id STARTS WITH $prefix AND e.synthetic = true
     WITH e, COUNT { (e)--() } AS degree
     ORDER BY degree DESC, e.id LIMIT 5
     RETURN e.id AS id, e.name AS name, degree`,
    { prefix: SYNTHETIC_ID_PREFIX },
  );
  return { ...stats!, topHubs };
}
