import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import {
  attributeValueSchema,
  documentSchema,
  entitiesFileSchema,
  entitySchema,
  relationSchema,
  relationsFileSchema,
  type SeedDocument,
  type SeedEntity,
  type SeedEvidence,
  type SeedRelation,
} from './format';
import { evidenceProblems, factProblems, type FactFields } from '../models/factRules';

/** The fields of a fact that an attribute statement has not: only its claim is checked. */
const NO_FACT: FactFields = {
  type: '',
  sourceId: null,
  targetId: null,
  share: null,
  pointInTime: null,
  validFrom: null,
  validTo: null,
  modality: null,
  claimed: false,
};

export const SEED_DIR = path.resolve(__dirname, '..', '..', 'seed');

export interface SeedGraph {
  documents: SeedDocument[];
  entities: SeedEntity[];
  relations: SeedRelation[];
}

/** Every problem found in the seed files, each naming the file and the record, so all are fixed in one pass. */
export class SeedValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Seed validation failed with ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SeedValidationError';
  }
}

interface Located<T> {
  value: T;
  where: string;
}

function readJson(file: string, problems: string[]): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push(`${file}: not valid JSON (${(error as Error).message})`);
    return undefined;
  }
}

function describeIssues(where: string, error: z.ZodError): string[] {
  return error.issues.map((issue) => `${where}: ${issue.path.length ? `${issue.path.join('.')} ` : ''}${issue.message}`);
}

function recordLabel(file: string, collection: string, index: number, raw: unknown): string {
  const id = typeof raw === 'object' && raw !== null && 'id' in raw ? ` (id "${String((raw as { id: unknown }).id)}")` : '';
  return `${file}: ${collection}[${index}]${id}`;
}

function parseRecords<T>(
  file: string,
  collection: 'entities' | 'relations',
  raw: unknown[],
  schema: z.ZodType<T>,
  problems: string[],
): Located<T>[] {
  const records: Located<T>[] = [];
  raw.forEach((item, index) => {
    const where = recordLabel(file, collection, index, item);
    const parsed = schema.safeParse(item);
    if (parsed.success) records.push({ value: parsed.data, where });
    else problems.push(...describeIssues(where, parsed.error));
  });
  return records;
}

function listJson(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => path.join(dir, f))
    : [];
}

/** Reads seed/ and checks it whole: shapes, references, quotes, ranges and dates. Writes nothing. */
export function readSeedGraph(seedDir = SEED_DIR): SeedGraph {
  const problems: string[] = [];
  const rel = (file: string) => path.relative(process.cwd(), file);

  const documents: SeedDocument[] = [];
  for (const file of listJson(path.join(seedDir, 'documents'))) {
    const parsed = documentSchema.safeParse(readJson(file, problems));
    if (!parsed.success) {
      problems.push(...describeIssues(rel(file), parsed.error));
      continue;
    }
    const textPath = path.join(path.dirname(file), parsed.data.textFile);
    if (!existsSync(textPath)) {
      problems.push(`${rel(file)}: textFile "${parsed.data.textFile}" does not exist`);
      continue;
    }
    documents.push({ ...parsed.data, text: readFileSync(textPath, 'utf8') });
  }

  const entities: Located<SeedEntity>[] = [];
  const entitiesFile = path.join(seedDir, 'entities.json');
  const entitiesJson = entitiesFileSchema.safeParse(readJson(entitiesFile, problems));
  if (entitiesJson.success)
    entities.push(...parseRecords(rel(entitiesFile), 'entities', entitiesJson.data.entities, entitySchema, problems));
  else problems.push(`${rel(entitiesFile)}: must be an object with an "entities" array`);

  const relations: Located<SeedRelation>[] = [];
  for (const file of listJson(path.join(seedDir, 'relations'))) {
    const parsed = relationsFileSchema.safeParse(readJson(file, problems));
    if (parsed.success) relations.push(...parseRecords(rel(file), 'relations', parsed.data.relations, relationSchema, problems));
    else problems.push(`${rel(file)}: must be an object with a "relations" array`);
  }

  const documentsById = new Map(documents.map((d) => [d.id, d]));
  const entityKinds = new Map<string, string>();
  for (const { value, where } of entities) {
    if (entityKinds.has(value.id)) problems.push(`${where}: duplicate entity id "${value.id}"`);
    entityKinds.set(value.id, value.kind);
  }

  const checkEvidence = (where: string, evidence: SeedEvidence[]) =>
    evidence.forEach((e, i) => {
      const document = documentsById.get(e.document);
      if (!document) problems.push(`${where}: evidence[${i}] names unknown document "${e.document}"`);
      else {
        evidenceProblems(e, document.text).forEach((p) =>
          problems.push(`${where}: evidence[${i}].${p.field} ${p.message} of "${e.document}": "${e.quote}"`),
        );
      }
    });
  const checkEntityRef = (where: string, field: string, id: string | null | undefined) => {
    if (id !== null && id !== undefined && !entityKinds.has(id)) problems.push(`${where}: ${field} names unknown entity id "${id}"`);
  };
  const checkClaim = (where: string, modality: string, claimedBy: string | null | undefined) => {
    factProblems({ ...NO_FACT, modality, claimed: Boolean(claimedBy) }).forEach((p) => problems.push(`${where}: ${p.field} ${p.message}`));
    checkEntityRef(where, 'claimedBy', claimedBy);
  };

  for (const { value: entity, where } of entities) {
    checkEvidence(where, entity.evidence);
    const seen = new Set<string>();
    entity.attributes.forEach((attribute, i) => {
      const at = `${where}: attributes[${i}] (${attribute.name})`;
      const valueSchema = attributeValueSchema(entity.kind, attribute.name);
      if (!valueSchema) problems.push(`${at}: ${entity.kind} has no attribute "${attribute.name}"`);
      else if (!valueSchema.safeParse(attribute.value).success) problems.push(`${at}: bad value ${JSON.stringify(attribute.value)}`);
      if (seen.has(attribute.name)) problems.push(`${at}: attribute given twice`);
      seen.add(attribute.name);
      checkClaim(at, attribute.modality, attribute.claimedBy);
      checkEvidence(at, attribute.evidence);
    });
  }

  const relationIds = new Set<string>();
  for (const { value: relation, where } of relations) {
    if (relationIds.has(relation.id)) problems.push(`${where}: duplicate relation id "${relation.id}"`);
    relationIds.add(relation.id);
    checkEntityRef(where, 'source', relation.source);
    checkEntityRef(where, 'target', relation.target);
    checkEntityRef(where, 'claimedBy', relation.claimedBy);
    // The rules every fact obeys, however it enters the graph (src/models/factRules.ts).
    factProblems({
      type: relation.type,
      sourceId: relation.source,
      targetId: relation.target,
      share: relation.share,
      pointInTime: relation.pointInTime,
      validFrom: relation.validFrom,
      validTo: relation.validTo,
      modality: relation.modality,
      claimed: Boolean(relation.claimedBy),
    }).forEach((p) => problems.push(`${where}: ${p.field} ${p.message}`));
    checkEvidence(where, relation.evidence);
  }

  if (problems.length > 0) throw new SeedValidationError(problems);
  return { documents, entities: entities.map((e) => e.value), relations: relations.map((r) => r.value) };
}
