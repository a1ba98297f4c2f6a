import { OVERHEAD_LABELS, OVERHEAD_TARGETS, type OverheadResult } from './overhead';
/**
 * What a run produced, and its three renderings: JSON (everything), markdown (the tables), and an SVG
 * bar chart of req/s per operation and target. Also the target checks, printed as PASS/FAIL per row.
 */
export const TARGETS = ['ours', 'neo4jGraphql', 'floor'] as const;
export type TargetName = (typeof TARGETS)[number];
export const TARGET_LABELS: Record<TargetName, string> = {
  ours: 'this service',
  neo4jGraphql: '@neo4j/graphql',
  floor: 'raw Cypher floor',
};

export interface Measurement {
  /** 2xx responses per second over all measured rounds. */
  rps: number;
  /** Response-time percentiles over all measured rounds, ms. */
  p50: number;
  p99: number;
  requests: number;
  /** req/s of each round, to see the spread. */
  roundsRps: number[];
  errors: number;
  non2xx: number;
  /** 2xx responses whose body differed from the verified answer. */
  mismatches: number;
}

/** A target's row for one operation: measured, not expressible (N/A), or not measured because its answer differed. */
export type TargetOutcome = { measured: Measurement } | { na: string } | { invalid: string };

export interface OperationResult {
  name: string;
  title: string;
  targets: Record<TargetName, TargetOutcome>;
}

export interface ScaleResult {
  name: string;
  entities: number;
  relations: number;
  fixtures: unknown;
  operations: OperationResult[];
}

export interface ScalingPoint {
  entities: number;
  relations: number;
  /** p50 in ms at one connection, by operation and target; null when N/A or invalid. */
  p50: Record<string, Record<TargetName, number | null>>;
}

export interface IngestionResult {
  entities: number;
  relations: number;
  batchSize: number;
  relationsPerSecond: number;
  entityPhaseMs: number;
  relationPhaseMs: number;
  elapsedMs: number;
}

/** Documents posted to `ingestDocument` over HTTP from several connections into a graph of a given scale. */
export interface ApiIngestionResult {
  scale: string;
  connections: number;
  documents: number;
  relationsPerDocument: number;
  newEntitiesPerDocument: number;
  seconds: number;
  documentsPerSecond: number;
  relationsPerSecond: number;
  /** Documents refused or failed: any is a failure of the run. */
  errors: number;
  p50: number;
  p99: number;
  /** Relation outcomes the service reported (CREATED, CORROBORATED, UNCHANGED). */
  outcomes: Record<string, number>;
}

/** Ingestion through the API must sustain this many relations per second into the 100k / 1M graph. */
export const API_INGESTION_TARGET = 1_000;

export interface CheckRow {
  scale: string;
  operation: string;
  vsNeo4jGraphql: { ratio: number | null; pass: boolean | null; note?: string };
  vsFloor: { ratio: number | null; pass: boolean | null };
  p99VsFloor: { ratio: number | null; pass: boolean | null };
}

export interface BenchResults {
  mode: 'full' | 'smoke';
  startedAt: string;
  totalSeconds: number;
  machine: Record<string, string | number>;
  settings: Record<string, unknown>;
  neo4jGraphqlSchemaBuildMs: number;
  scales: ScaleResult[];
  scaling: ScalingPoint[];
  ingestion: IngestionResult[];
  /** Absent in results written before ingestion through the API existed. */
  apiIngestion?: ApiIngestionResult[];
  /** `{ __typename }` on each server (bench/overhead.ts); absent in results written before the row existed. */
  overhead?: OverheadResult;
  checks: CheckRow[];
}

export const THRESHOLDS = { vsNeo4jGraphql: 1.2, vsFloor: 0.6, p99VsFloor: 2, overheadVsBareApollo: 0.6 };

/** This service's req/s on `{ __typename }` over a bare Apollo Server's, and whether it meets the threshold. */
export function overheadCheck(overhead: OverheadResult | undefined): { ratio: number; pass: boolean } | null {
  const ours = overhead?.ours?.rps;
  const bare = overhead?.bareApollo?.rps;
  if (ours === undefined || bare === undefined || bare <= 0) return null;
  return { ratio: ours / bare, pass: ours / bare >= THRESHOLDS.overheadVsBareApollo };
}

const measured = (outcome: TargetOutcome | undefined): Measurement | undefined =>
  outcome && 'measured' in outcome ? outcome.measured : undefined;

export function computeChecks(scales: ScaleResult[]): CheckRow[] {
  return scales.flatMap((scale) =>
    scale.operations.map((op): CheckRow => {
      const ours = measured(op.targets.ours);
      const ngql = op.targets.neo4jGraphql;
      const ngqlM = measured(ngql);
      const floor = measured(op.targets.floor);
      const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && b > 0 ? a / b : null);
      const vsN = ratio(ours?.rps, ngqlM?.rps);
      const vsF = ratio(ours?.rps, floor?.rps);
      const p99 = ratio(ours?.p99, floor?.p99);
      return {
        scale: scale.name,
        operation: op.name,
        vsNeo4jGraphql:
          'na' in ngql
            ? { ratio: null, pass: null, note: 'N/A' }
            : 'invalid' in ngql
              ? { ratio: null, pass: null, note: 'answers differ' }
              : { ratio: vsN, pass: vsN === null ? null : vsN >= THRESHOLDS.vsNeo4jGraphql },
        vsFloor: { ratio: vsF, pass: vsF === null ? null : vsF >= THRESHOLDS.vsFloor },
        p99VsFloor: { ratio: p99, pass: p99 === null ? null : p99 <= THRESHOLDS.p99VsFloor },
      };
    }),
  );
}

const verdict = (check: { ratio: number | null; pass: boolean | null; note?: string }) =>
  check.pass === null ? (check.note ?? 'n/a') : `${check.pass ? 'PASS' : 'FAIL'} ${check.ratio!.toFixed(2)}×`;

/** One line per row, for the console. */
export function checkLines(checks: CheckRow[]): string[] {
  const header = [
    'scale',
    'operation',
    `≥${THRESHOLDS.vsNeo4jGraphql}× @neo4j/graphql`,
    `≥${THRESHOLDS.vsFloor}× floor`,
    `p99 ≤${THRESHOLDS.p99VsFloor}× floor`,
  ];
  const rows = checks.map((c) => [c.scale, c.operation, verdict(c.vsNeo4jGraphql), verdict(c.vsFloor), verdict(c.p99VsFloor)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
  return [line(header), ...rows.map(line)];
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
/** req/s: whole numbers, but a decimal below 10 so that slow targets do not read as 0. */
const rate = (n: number) => (n < 10 ? fmt(n, 1) : fmt(n));
const ms = (n: number) => (n >= 100 ? fmt(n) : n >= 10 ? fmt(n, 1) : fmt(n, 2));

function cell(outcome: TargetOutcome): string[] {
  if ('na' in outcome) return ['N/A', '', ''];
  if ('invalid' in outcome) return ['answer differs', '', ''];
  const m = outcome.measured;
  const flags = m.errors + m.non2xx + m.mismatches > 0 ? ` ⚠ ${m.errors} err, ${m.non2xx} non-2xx, ${m.mismatches} mismatched` : '';
  return [`${rate(m.rps)}${flags}`, ms(m.p50), ms(m.p99)];
}

export function renderMarkdown(results: BenchResults): string {
  const out: string[] = [];
  out.push(`# Benchmark results (${results.mode})`, '');
  out.push(
    `Run ${results.startedAt}, ${fmt(results.totalSeconds)} s end to end. Written by \`npm run bench\` (bench/run.ts); see bench/README.md for the method.`,
    '',
  );
  out.push('## Machine', '', '| | |', '|---|---|');
  for (const [key, value] of Object.entries(results.machine)) out.push(`| ${key} | ${value} |`);
  out.push('', '## Settings', '', '| | |', '|---|---|');
  for (const [key, value] of Object.entries(results.settings))
    out.push(`| ${key} | ${typeof value === 'object' ? JSON.stringify(value) : String(value)} |`);
  out.push(`| @neo4j/graphql schema build | ${fmt(results.neo4jGraphqlSchemaBuildMs / 1000, 1)} s |`);

  for (const scale of results.scales) {
    out.push('', `## Throughput and latency: ${scale.name} (${fmt(scale.entities)} entities, ${fmt(scale.relations)} relations)`, '');
    out.push(
      'req/s over all rounds; p50 and p99 in ms. Ratios are this service over the other target (p99: this service over the floor).',
      '',
    );
    out.push(
      '| operation | ours req/s | p50 | p99 | @neo4j/graphql req/s | p50 | p99 | floor req/s | p50 | p99 | ours ÷ @neo4j/graphql | ours ÷ floor | p99 ours ÷ floor |',
    );
    out.push('|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
    for (const op of scale.operations) {
      const check = results.checks.find((c) => c.scale === scale.name && c.operation === op.name);
      const r = (c: { ratio: number | null; pass: boolean | null; note?: string } | undefined) =>
        c ? (c.ratio === null ? (c.note ?? '') : `${c.ratio.toFixed(2)}× ${c.pass ? '✅' : '❌'}`) : '';
      out.push(
        `| ${op.name} | ${[...cell(op.targets.ours), ...cell(op.targets.neo4jGraphql), ...cell(op.targets.floor)].join(' | ')} | ${r(check?.vsNeo4jGraphql)} | ${r(check?.vsFloor)} | ${r(check?.p99VsFloor)} |`,
      );
    }
    const notes = scale.operations.flatMap((op) =>
      TARGETS.flatMap((t) => {
        const o = op.targets[t];
        return 'na' in o
          ? [`- ${op.name}, ${TARGET_LABELS[t]}: N/A, ${o.na}.`]
          : 'invalid' in o
            ? [`- ${op.name}, ${TARGET_LABELS[t]}: not measured, ${o.invalid}`]
            : [];
      }),
    );
    if (notes.length > 0) out.push('', ...notes);
  }

  out.push(
    '',
    '## Target checks',
    '',
    `| scale | operation | ≥${THRESHOLDS.vsNeo4jGraphql}× @neo4j/graphql req/s | ≥${THRESHOLDS.vsFloor}× floor req/s | p99 ≤ ${THRESHOLDS.p99VsFloor}× floor p99 |`,
    '|---|---|---|---|---|',
  );
  for (const c of results.checks)
    out.push(`| ${c.scale} | ${c.operation} | ${verdict(c.vsNeo4jGraphql)} | ${verdict(c.vsFloor)} | ${verdict(c.p99VsFloor)} |`);

  if (results.scaling.length > 0) {
    const ops = Object.keys(results.scaling[0]!.p50);
    out.push('', '## Scaling curve: p50 latency (ms) at one connection', '');
    out.push(
      `| relations | entities | ${ops.flatMap((op) => TARGETS.map((t) => `${op} ${t === 'ours' ? 'ours' : t === 'floor' ? 'floor' : '@neo4j/graphql'}`)).join(' | ')} |`,
    );
    out.push(`|--:|--:|${ops.flatMap(() => TARGETS.map(() => '--:')).join('|')}|`);
    for (const point of results.scaling) {
      out.push(
        `| ${fmt(point.relations)} | ${fmt(point.entities)} | ${ops.flatMap((op) => TARGETS.map((t) => (point.p50[op]?.[t] == null ? 'N/A' : ms(point.p50[op]![t]!)))).join(' | ')} |`,
      );
    }
  }
  if (results.ingestion.length > 0) {
    out.push('', '## Bulk ingestion (src/seed/synthetic/, one write transaction per batch)', '');
    out.push(
      '| entities | relations | batch size | relations/s | relation phase | entity phase | total |',
      '|--:|--:|--:|--:|--:|--:|--:|',
    );
    for (const i of results.ingestion) {
      out.push(
        `| ${fmt(i.entities)} | ${fmt(i.relations)} | ${fmt(i.batchSize)} | ${fmt(i.relationsPerSecond)} | ${fmt(i.relationPhaseMs / 1000, 1)} s | ${fmt(i.entityPhaseMs / 1000, 1)} s | ${fmt(i.elapsedMs / 1000, 1)} s |`,
      );
    }
  }
  const overhead = results.overhead;
  if (overhead) {
    const check = overheadCheck(overhead);
    const bare = overhead.bareApollo?.rps;
    out.push(
      '',
      `## Overhead: \`{ __typename }\`, which reads nothing (target: this service ≥ ${THRESHOLDS.overheadVsBareApollo}× a bare Apollo Server)`,
      '',
      '| server | req/s | × bare Apollo | p50 | p99 | CPU per request | rounds (req/s) |',
      '|---|--:|--:|--:|--:|--:|---|',
    );
    for (const target of OVERHEAD_TARGETS) {
      const m = overhead[target];
      if (!m) continue;
      const times = bare ? `${(m.rps / bare).toFixed(2)}×` : 'n/a';
      out.push(
        `| ${OVERHEAD_LABELS[target]} | ${fmt(m.rps)} | ${times} | ${ms(m.p50)} | ${ms(m.p99)} | ${fmt(m.cpuUsPerRequest)} µs | ${m.roundsRps.map((r) => fmt(r)).join(', ')} |`,
      );
    }
    if (check) out.push('', `This service: ${check.pass ? 'PASS' : 'FAIL'} ${check.ratio.toFixed(2)}× the bare Apollo Server's req/s.`);
  }
  if (results.apiIngestion?.length) {
    out.push('', `## Ingestion through the API (\`ingestDocument\`; target ≥ ${fmt(API_INGESTION_TARGET)} relations/s at 100k / 1M)`, '');
    out.push(
      '| scale | connections | documents × relations | new entities per document | documents/s | relations/s | p50 | p99 | errors | outcomes |',
      '|---|--:|--:|--:|--:|--:|--:|--:|--:|---|',
    );
    for (const i of results.apiIngestion) {
      const outcomes = Object.entries(i.outcomes)
        .map(([k, v]) => `${k} ${fmt(v)}`)
        .join(', ');
      out.push(
        `| ${i.scale} | ${i.connections} | ${fmt(i.documents)} × ${i.relationsPerDocument} | ${i.newEntitiesPerDocument} | ${fmt(i.documentsPerSecond, 1)} | ${fmt(i.relationsPerSecond)} | ${ms(i.p50)} | ${ms(i.p99)} | ${i.errors} | ${outcomes} |`,
      );
    }
  }
  out.push('');
  return out.join('\n');
}

const COLORS: Record<TargetName, string> = { ours: '#2b6cb0', neo4jGraphql: '#dd6b20', floor: '#718096' };
const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Horizontal grouped bars: one panel per scale, one group per operation, one bar per target. */
export function renderSvg(results: BenchResults): string {
  const width = 860;
  const labelWidth = 130;
  const barHeight = 13;
  const groupGap = 10;
  const barArea = width - labelWidth - 110;
  const parts: string[] = [];
  let y = 56;
  parts.push(
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">Requests per second by operation and target (higher is better)</text>`,
  );
  TARGETS.forEach((t, i) => {
    const x = labelWidth + i * 190;
    parts.push(
      `<rect x="${x}" y="34" width="12" height="12" fill="${COLORS[t]}"/><text x="${x + 18}" y="44" font-size="12">${escapeXml(TARGET_LABELS[t])}</text>`,
    );
  });
  for (const scale of results.scales) {
    y += 18;
    parts.push(
      `<text x="8" y="${y}" font-size="14" font-weight="bold">${escapeXml(`${scale.name}: ${fmt(scale.entities)} entities, ${fmt(scale.relations)} relations`)}</text>`,
    );
    y += 10;
    const max = Math.max(1, ...scale.operations.flatMap((op) => TARGETS.map((t) => measured(op.targets[t])?.rps ?? 0)));
    for (const op of scale.operations) {
      const groupTop = y;
      parts.push(
        `<text x="${labelWidth - 8}" y="${groupTop + (TARGETS.length * barHeight) / 2 + 4}" text-anchor="end" font-size="12">${escapeXml(op.name)}</text>`,
      );
      TARGETS.forEach((t, i) => {
        const top = groupTop + i * barHeight;
        const outcome = op.targets[t];
        const m = measured(outcome);
        if (m) {
          const w = Math.max(1, (m.rps / max) * barArea);
          parts.push(`<rect x="${labelWidth}" y="${top}" width="${w.toFixed(1)}" height="${barHeight - 2}" fill="${COLORS[t]}"/>`);
          parts.push(`<text x="${(labelWidth + w + 4).toFixed(1)}" y="${top + barHeight - 3}" font-size="10">${rate(m.rps)}</text>`);
        } else {
          parts.push(
            `<text x="${labelWidth + 4}" y="${top + barHeight - 3}" font-size="10" fill="#a0aec0">${'na' in outcome ? 'N/A' : 'answer differs'}</text>`,
          );
        }
      });
      y += TARGETS.length * barHeight + groupGap;
    }
  }
  const height = y + 10;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
${parts.join('\n')}
</svg>
`;
}
