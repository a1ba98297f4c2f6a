/**
 * A synthetic knowledge graph for load tests: `npm run seed:synthetic` (src/seed/syntheticCli.ts),
 * bench/ and tests/integration/synthetic.test.ts use it. See docs/synthetic-data.md.
 *
 * The graph has the same model as the real seed, written by the same graph writer (src/data/writer.ts), so
 * every API query works on it:
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
 *
 * The parts: random.ts (the seeded PRNG), names.ts (ids, names, dates), plan.ts (how many of each kind
 * and type), generator.ts (the rows and documents), write.ts (writing and clearing).
 */
export { SyntheticGenerator, type DegreeStats } from './generator';
export { DEFAULT_BATCH_SIZE, planSynthetic, RELATION_VARIANTS, type SyntheticOptions } from './plan';
export {
  clearSyntheticGraph,
  storedDegreeStats,
  SyntheticConflictError,
  writeSyntheticGraph,
  type SyntheticProgress,
  type SyntheticSummary,
} from './write';
